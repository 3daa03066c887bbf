#!/usr/bin/env python3
"""Replays pre-signed inbox POSTs (JSON lines from `sign_post.py --emit`) against a server over
keep-alive connections, and records every answer as it arrives.

  inbox_load.py --port PORT --requests FILE --log FILE [--threads N]

The log gets one line per answered request, "ACTIVITY_ID STATUS", written and flushed as soon as
the answer is read, so a test that kills the server mid-run knows exactly which requests the
server acknowledged. A request whose connection breaks is not logged; the thread moves on.
"""

import argparse
import http.client
import json
import threading


def worker(port, requests, log, lock):
    conn = None
    for r in requests:
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            conn.request("POST", r["path"], body=r["body"].encode(), headers=r["headers"])
            res = conn.getresponse()
            res.read()
        except (OSError, http.client.HTTPException):
            conn = None
            continue
        with lock:
            log.write(f'{json.loads(r["body"])["id"]} {res.status}\n')
            log.flush()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--requests", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--threads", type=int, default=8)
    args = p.parse_args()
    with open(args.requests) as f:
        requests = [json.loads(line) for line in f if line.strip()]
    lock = threading.Lock()
    with open(args.log, "a") as log:
        threads = [threading.Thread(target=worker, args=(args.port, requests[i::args.threads], log, lock))
                   for i in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


if __name__ == "__main__":
    main()
