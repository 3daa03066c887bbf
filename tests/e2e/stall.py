#!/usr/bin/env python3
"""Key hosts that stall, and the requests that must not wait for them.

Starts two fake key hosts: SILENT_PORT accepts connections and never answers, SLOW_PORT
answers 404 after 9 s; both count the connections they get. Sends the signed POSTs of
ATTACK (one sign_post.py --emit line each, their keyIds on those hosts) all at once, and while
they wait, times ROUNDS rounds of three requests to instctl serve, one after the other:
the signed POST of CACHED (an actor whose key is cached), POST /api/v1/waitlist and GET
WebFinger. Optionally first opens IDLE idle connections from 127.0.0.1, and sends the timed
requests from SOURCE (e.g. 127.0.0.2). Prints one JSON line: per kind the p50, p99 and worst
milliseconds and the statuses seen, the attack's statuses, and the key hosts' connection counts.

usage: stall.py PORT HOST_HEADER SILENT_PORT SLOW_PORT ATTACK CACHED ACCOUNT ROUNDS
                [--idle N] [--source ADDRESS] [--attack-source ADDRESS]
"""
import argparse
import http.client
import json
import socket
import threading
import time

ap = argparse.ArgumentParser()
for name in ("port", "host", "silent_port", "slow_port", "attack", "cached", "account", "rounds"):
    ap.add_argument(name)
ap.add_argument("--idle", type=int, default=0)
ap.add_argument("--source", default="127.0.0.1")
ap.add_argument("--attack-source", default="127.0.0.1")
a = ap.parse_args()
port, rounds = int(a.port), int(a.rounds)
counts = {"silent": 0, "slow": 0}
lock = threading.Lock()
held = []


def key_host(kind, listen_port):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", listen_port))
    srv.listen(512)

    def answer_late(c):
        try:
            c.recv(65536)
            time.sleep(9)
            c.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        except OSError:
            pass
        finally:
            c.close()

    def run():
        while True:
            c, _ = srv.accept()
            with lock:
                counts[kind] += 1
            if kind == "silent":
                held.append(c)  # never answered, never closed
            else:
                threading.Thread(target=answer_late, args=(c,), daemon=True).start()

    threading.Thread(target=run, daemon=True).start()


key_host("silent", int(a.silent_port))
key_host("slow", int(a.slow_port))

idle = []
for _ in range(a.idle):
    try:
        idle.append(socket.create_connection(("127.0.0.1", port)))
    except OSError:
        break


def send(req, source="127.0.0.1", timeout=60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        conn.request(req["method"], req["path"], body=req.get("body", "").encode(), headers=req["headers"])
        res = conn.getresponse()
        res.read()
        return res.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        conn.close()


attack_statuses = []


def attack_one(req):
    s = send(req, a.attack_source)
    with lock:
        attack_statuses.append(s)


attack = [json.loads(line) for line in open(a.attack) if line.strip()]
threads = [threading.Thread(target=attack_one, args=(r,)) for r in attack]
for t in threads:
    t.start()
time.sleep(0.5)  # the attack's requests are in

cached = json.loads(open(a.cached).read())
webfinger = {"method": "GET", "path": f"/.well-known/webfinger?resource=acct:{a.account}@{a.host}",
             "headers": {"Host": a.host}}
times = {"cached_post": [], "waitlist": [], "webfinger": []}
statuses = {k: {} for k in times}
started = time.time()
for i in range(rounds):
    waitlist = {"method": "POST", "path": "/api/v1/waitlist",
                "body": json.dumps({"email": f"stall{i}.{started}@example.com"}),
                "headers": {"Host": a.host, "Content-Type": "application/json"}}
    for kind, req in (("cached_post", cached), ("waitlist", waitlist), ("webfinger", webfinger)):
        t0 = time.perf_counter()
        s = send(req, a.source, timeout=30)
        times[kind].append((time.perf_counter() - t0) * 1000)
        statuses[kind][s] = statuses[kind].get(s, 0) + 1
attack_running = sum(t.is_alive() for t in threads)
for t in threads:
    t.join()
idle_open = 0
for s in idle:
    s.setblocking(False)
    try:
        idle_open += s.recv(1) != b""
    except BlockingIOError:
        idle_open += 1
    except OSError:
        pass


def pct(xs, p):
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(len(xs) * p))], 1)


out = {k: {"p50_ms": pct(v, 0.5), "p99_ms": pct(v, 0.99), "worst_ms": round(max(v), 1),
           "statuses": statuses[k]} for k, v in times.items()}
out["attack_statuses"] = {str(s): attack_statuses.count(s) for s in sorted(set(attack_statuses))}
out["attack_running_while_timed"] = attack_running
out["key_host_connections"] = dict(counts)
out["idle_open"] = idle_open
print(json.dumps(out))
