"""Slow clients against instctl serve: N connections send a request's headers one byte at a
time while normal requests are timed. Prints one JSON line: the slowest normal request (ms),
how many slow connections were still open at the end, and how many normal requests were made.

usage: slow_clients.py PORT HOST_HEADER [CONNECTIONS] [NORMAL_REQUESTS]
"""
import json
import socket
import sys
import threading
import time

port, host = int(sys.argv[1]), sys.argv[2]
n_slow = int(sys.argv[3]) if len(sys.argv) > 3 else 200
n_normal = int(sys.argv[4]) if len(sys.argv) > 4 else 50
request = f"GET /users/alice HTTP/1.1\r\nHost: {host}\r\nAccept: application/activity+json\r\n".encode()

slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(n_slow)]
stop = threading.Event()


def trickle():
    # One byte to each connection in turn; the headers never finish during the test.
    i = 0
    while not stop.is_set():
        b = request[i % len(request):i % len(request) + 1]
        for s in slow:
            try:
                s.send(b)
            except OSError:
                pass
        i += 1
        time.sleep(0.005)


t = threading.Thread(target=trickle)
t.start()
time.sleep(0.2)  # let the trickle reach every connection

worst = 0.0
for _ in range(n_normal):
    t0 = time.perf_counter()
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(f"GET /users/alice HTTP/1.1\r\nHost: {host}\r\nAccept: application/activity+json\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        chunk = c.recv(65536)
        if not chunk:
            break
        data += chunk
    c.close()
    ms = (time.perf_counter() - t0) * 1000
    if not data.startswith(b"HTTP/1.1 200"):
        print(json.dumps({"error": data[:200].decode(errors="replace")}))
        sys.exit(1)
    worst = max(worst, ms)

stop.set()
t.join()
still_open = 0
for s in slow:
    s.setblocking(False)
    try:
        still_open += s.recv(1) != b""
    except BlockingIOError:
        still_open += 1  # nothing to read and not closed: still waiting for its headers
    except OSError:
        pass
    s.close()
print(json.dumps({"worst_ms": round(worst, 2), "slow_open": still_open, "normal": n_normal}))
