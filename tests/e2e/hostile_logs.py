#!/usr/bin/env python3
"""Requests whose outside text the serve logs must escape, and load, over raw sockets (curl
would clean most of it up). Prints one line per check: "ok NAME" or "FAIL NAME: DETAIL", then
"done".

usage: hostile_logs.py PORT DOMAIN LOAD   (LOAD: ordinary requests sent from 4 connections)
"""
import base64
import email.utils
import hashlib
import re
import socket
import sys
import threading

PORT, DOMAIN, LOAD = int(sys.argv[1]), sys.argv[2].encode(), int(sys.argv[3])
# What HTTP lets through raw in a target or a header value: a quote (target only), a backslash,
# bytes that are not UTF-8, a C1 CSI. Raw C0 controls (ESC) are refused with 400 by the parser
# (checked below); an ESC reaches the logs decoded, from a JSON body's \u001b.
HOSTILE = b"[31m\\\xff\xfe\xc2\x9b"
QUOTE = b"\""


def report(name, good, detail=""):
    print(("ok %s" % name) if good else ("FAIL %s: %s" % (name, detail)), flush=True)


def exchange(data):
    s = socket.create_connection(("127.0.0.1", PORT), 10)
    s.settimeout(10)
    out = b""
    try:
        s.sendall(data)
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except (socket.timeout, TimeoutError, ConnectionResetError):
        pass
    finally:
        s.close()
    m = re.match(rb"HTTP/1\.1 (\d{3}) ", out)
    return int(m.group(1)) if m else None


def expect(name, data, *want):
    got = exchange(data)
    report(name, got in want, "got %s, expected %s" % (got, want))


def get(target, extra=b""):
    return b"GET " + target + b" HTTP/1.1\r\nHost: " + DOMAIN + b"\r\n" + extra + b"Connection: close\r\n\r\n"


def signed_post(key_id, body):
    date = email.utils.formatdate(usegmt=True).encode()
    digest = b"SHA-256=" + base64.b64encode(hashlib.sha256(body).digest())
    return (b"POST /inbox HTTP/1.1\r\nHost: " + DOMAIN + b"\r\nDate: " + date +
            b"\r\nDigest: " + digest +
            b"\r\nContent-Type: application/activity+json\r\nContent-Length: " +
            str(len(body)).encode() + b"\r\nSignature: keyId=\"" + key_id +
            b"\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"YWJj\"\r\n"
            b"X-Request-Id: req-" + HOSTILE + b"\r\nConnection: close\r\n\r\n" + body)


expect("a target with quotes, a backslash and bytes that are not UTF-8",
       get(b"/logs/" + QUOTE + HOSTILE + QUOTE + b"/end"), 404)
expect("a raw ESC in a target", get(b"/logs/\x1b[2J"), 400)
expect("a hostile X-Request-Id", get(b"/health", b"X-Request-Id: " + HOSTILE + b"\r\n"), 200)
expect("a hostile User-Agent", get(b"/health", b"User-Agent: " + HOSTILE + b"\r\n"), 200)
# The key's address is refused before any fetch (a private address): the inbox answers 401 and
# its error log line quotes the keyId. The keyId carries the raw bytes (a header), the actor the
# escapes JSON allows (\u001b is ESC).
key_id = b"https://127.0.0.1:9/users/" + HOSTILE + b"#main-key"
expect("a signed POST whose keyId and actor are hostile",
       signed_post(key_id,
                   b'{"type":"Follow","id":"https://127.0.0.1:9/f/1","actor":"https://127.0.0.1:9/'
                   b'\\u001b[2J\\"\\\\\\u009b","object":"https://' + DOMAIN + b'/users/alice"}'),
       401)
expect("a signed POST with an escaped ESC in its actor",
       signed_post(b"https://127.0.0.1:9/users/mallory#main-key",
                   b'{"type":"Follow","id":"https://127.0.0.1:9/f/2","actor":"https://127.0.0.1:9/\\u001b]0;owned\\u0007","object":"x"}'),
       401, 400)

# Load: LOAD requests over 4 keep-alive connections at once, a mix of answers.
paths = [b"/users/alice", b"/health", b"/no/such/page", b"/.well-known/webfinger?resource=acct:alice@" + DOMAIN,
         b"/health/ready", b"/users/" + HOSTILE]
answered = [0]
lock = threading.Lock()


def load(n):
    s = socket.create_connection(("127.0.0.1", PORT), 10)
    s.settimeout(20)
    f = s.makefile("rb")
    for i in range(n):
        s.sendall(b"GET " + paths[i % len(paths)] + b" HTTP/1.1\r\nHost: " + DOMAIN + b"\r\n\r\n")
        status = f.readline()
        length = 0
        while True:
            line = f.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        f.read(length)
        if status.startswith(b"HTTP/1.1 "):
            with lock:
                answered[0] += 1
    s.close()


threads = [threading.Thread(target=load, args=(LOAD // 4,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
report("%d requests under load answered" % (LOAD // 4 * 4), answered[0] == LOAD // 4 * 4,
       "%d answered" % answered[0])
print("done", flush=True)
