"""Holds SQLite's write lock on the database argv[1] (BEGIN EXCLUSIVE from another process)
until the file argv[2] is removed; prints "locked" once it holds it."""
import os
import sqlite3
import sys
import time

db = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
while os.path.exists(sys.argv[2]):
    time.sleep(0.05)
db.execute("ROLLBACK")
