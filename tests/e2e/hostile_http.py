#!/usr/bin/env python3
"""Hostile HTTP input against a running instctl serve, over raw sockets (curl would refuse to
send most of it). Prints one line per check: "ok NAME" or "FAIL NAME: DETAIL".

usage: hostile_http.py PORT DOMAIN READ_TIMEOUT_SECONDS
"""
import re
import socket
import sys
import time

PORT, DOMAIN, READ_TIMEOUT = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
HOST = b"Host: " + DOMAIN.encode() + b"\r\n"


def report(name, good, detail=""):
    print(("ok %s" % name) if good else ("FAIL %s: %s" % (name, detail)), flush=True)


def exchange(data, wait=5.0, chunks=None):
    """Sends data (then each of chunks), reads until the server closes or `wait` passes.
    Returns (bytes received, whether the server closed the connection)."""
    s = socket.create_connection(("127.0.0.1", PORT), 5)
    s.settimeout(wait)
    out, closed = b"", False
    try:
        s.sendall(data)
        for c in chunks or []:
            s.sendall(c)
        while True:
            b = s.recv(65536)
            if not b:
                closed = True
                break
            out += b
    except (socket.timeout, TimeoutError):
        pass
    except (ConnectionResetError, BrokenPipeError):
        closed = True
    finally:
        s.close()
    return out, closed


def statuses(resp):
    """The status of each response in order (a body may run straight into the next one)."""
    return [int(m) for m in re.findall(rb"HTTP/1\.[01] (\d{3}) ", resp)]


def expect(name, data, want, **kw):
    resp, _ = exchange(data, **kw)
    got = statuses(resp)
    report(name, got[:1] == [want], "got %s, expected %d: %r" % (got, want, resp[:200]))
    return resp


def healthy(name):
    resp, _ = exchange(b"GET /health HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n")
    report(name, statuses(resp) == [200], "the server did not answer /health: %r" % resp[:200])


get = lambda target, extra=b"": (b"GET " + target + b" HTTP/1.1\r\n" + HOST + extra +
                                 b"Connection: close\r\n\r\n")
post = lambda headers: b"POST /inbox HTTP/1.1\r\n" + HOST + headers + b"\r\n"

# Header floods and oversized request lines.
expect("header flood: 200 headers of 1 KiB", b"GET /health HTTP/1.1\r\n" + HOST +
       b"".join(b"X-Flood-%d: %s\r\n" % (i, b"a" * 1000) for i in range(200)) + b"\r\n", 431)
expect("one 64 KiB header", get(b"/health", b"X-Big: " + b"b" * 65536 + b"\r\n"), 431)
expect("a 100 KiB request target", get(b"/" + b"a" * 102400), 431)

# Content-Length: huge, invalid, negative, repeated with different values.
t = time.time()
resp, _ = exchange(post(b"Content-Type: application/activity+json\r\nContent-Length: 1000000000000\r\n"))
report("a 1 TB Content-Length is refused before any body", statuses(resp) == [413] and time.time() - t < 3,
       "got %s" % statuses(resp))
expect("Content-Length: abc", post(b"Content-Length: abc\r\n"), 400)
expect("Content-Length: -1", post(b"Content-Length: -1\r\n"), 400)
expect("two different Content-Lengths", post(b"Content-Length: 2\r\nContent-Length: 3\r\n") + b"{}", 400)

# Chunked bodies: one that never ends is cut at the read timeout, one that grows past the
# limit gets 413, and other clients are served meanwhile.
t = time.time()
s = socket.create_connection(("127.0.0.1", PORT), 5)
s.sendall(post(b"Content-Type: application/activity+json\r\nTransfer-Encoding: chunked\r\n") + b"5\r\n{\"a\":\r\n")
healthy("served while a chunked body hangs")
s.settimeout(READ_TIMEOUT + 10)
try:
    tail = s.recv(65536)
    while tail and s.recv(65536):
        pass
    closed = True
except (socket.timeout, TimeoutError):
    closed = False
except ConnectionResetError:
    closed = True
s.close()
took = time.time() - t
report("a chunked body that never ends is cut at the read timeout",
       closed and took < READ_TIMEOUT + 5, "closed=%s after %.1f s (read timeout %.0f s)" % (closed, took, READ_TIMEOUT))
chunk = b"%x\r\n%s\r\n" % (16384, b"x" * 16384)
expect("a chunked body over 256 KiB", post(b"Content-Type: application/activity+json\r\nTransfer-Encoding: chunked\r\n"),
       413, chunks=[chunk] * 20 + [b"0\r\n\r\n"])

# JSON bombs at the inbox: refused (unsigned: 401 before any parsing), and the server lives.
deep = b"[" * 131072 + b"]" * 131072
expect("a 256 KiB nest of arrays at the inbox", post(b"Content-Type: application/activity+json\r\n"
       b"Content-Length: %d\r\nConnection: close\r\n" % len(deep)) + deep, 401)
big = b'{"type":"Follow","id":1e999999,"n":123456789012345678901234567890}'
expect("numbers that overflow at the inbox", post(b"Content-Type: application/activity+json\r\n"
       b"Content-Length: %d\r\nConnection: close\r\n" % len(big)) + big, 401)

# Paths: traversal and encoded slashes never reach a file or another user.
for target in (b"/users/../../etc/passwd", b"/%2e%2e/%2e%2e/etc/passwd", b"/users/alice%2F..%2Fbob",
               b"/users/alice/../../../etc/passwd", b"/.well-known/../../etc/passwd"):
    resp = expect("path %s" % target.decode(), get(target), 404)
    if b"root:" in resp:
        report("path %s leaks nothing" % target.decode(), False, "a file's contents came back")

# Query strings that are not UTF-8, percent-encoded or raw: not ours, and no server error.
expect("percent-encoded non-UTF-8 query", get(b"/.well-known/webfinger?resource=acct:%ff%fe@" + DOMAIN.encode()), 404)
expect("raw non-UTF-8 query", get(b"/.well-known/webfinger?resource=acct:\xff\xfe@" + DOMAIN.encode()), 404)
expect("truncated percent escape", get(b"/.well-known/webfinger?resource=acct:alice%2"), 400)

# Host: repeated, missing, or not ours.
expect("two Host headers", b"GET /users/alice HTTP/1.1\r\n" + HOST + b"Host: evil.example\r\nConnection: close\r\n\r\n", 400)
expect("HTTP/1.1 without Host", b"GET /users/alice HTTP/1.1\r\nConnection: close\r\n\r\n", 400)
resp = expect("a Host that is not the instance", b"GET /users/alice HTTP/1.1\r\nHost: evil.example\r\n"
              b"Accept: application/activity+json\r\nConnection: close\r\n\r\n", 421)
report("the refusal names the instance", DOMAIN.encode() in resp, resp[-300:])

# Request smuggling (RFC 9112 6.1, 5.2): a framing that a proxy in front could read otherwise
# gets one 400 and the connection closed, so that what follows it is never read as a second
# request (here a GET of a missing page, which would answer 404).
SMUGGLED = b"GET /nosuchpage HTTP/1.1\r\n" + HOST + b"\r\n"
CHUNKED_BODY = b"0\r\n\r\n"


def expect_refused_and_closed(name, data):
    resp, closed = exchange(data + SMUGGLED, wait=READ_TIMEOUT + 5)
    report(name + ": 400, one response, closed", statuses(resp) == [400] and closed,
           "got %s, closed=%s: %r" % (statuses(resp), closed, resp[:300]))


inbox_post = lambda headers, body: (b"POST /inbox HTTP/1.1\r\n" + HOST +
                                    b"Content-Type: application/activity+json\r\n" + headers + b"\r\n" + body)
for coding in (b"chunked, identity", b"xchunked", b"gzip", b"gzip, chunked", b"identity", b"chunked;q=1"):
    expect_refused_and_closed("Transfer-Encoding: %s" % coding.decode(),
                              inbox_post(b"Transfer-Encoding: " + coding + b"\r\n", CHUNKED_BODY))
expect_refused_and_closed("Transfer-Encoding: gzip with Content-Length",
                          inbox_post(b"Transfer-Encoding: gzip\r\nContent-Length: 5\r\n", CHUNKED_BODY))
expect_refused_and_closed("Content-Length then Transfer-Encoding: chunked",
                          inbox_post(b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", CHUNKED_BODY))
expect_refused_and_closed("Transfer-Encoding: chunked then Content-Length",
                          inbox_post(b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", CHUNKED_BODY))
expect_refused_and_closed("two Transfer-Encoding fields (gzip, chunked)",
                          inbox_post(b"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", CHUNKED_BODY))
expect_refused_and_closed("two Transfer-Encoding fields (chunked twice)",
                          inbox_post(b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", CHUNKED_BODY))
expect_refused_and_closed("Transfer-Encoding in HTTP/1.0",
                          b"POST /inbox HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" + CHUNKED_BODY)
expect_refused_and_closed("a folded Transfer-Encoding (obs-fold)",
                          inbox_post(b"Transfer-Encoding:\r\n chunked\r\n", CHUNKED_BODY))
expect_refused_and_closed("a folded header line (obs-fold, tab)",
                          b"GET /health HTTP/1.1\r\n" + HOST + b"X-Folded: a\r\n\tb\r\n\r\n")
expect_refused_and_closed("a first header line that starts with a space",
                          b"GET /health HTTP/1.1\r\n " + HOST + b"\r\n")
# A chunked body alone is fine, and the connection goes on to the next request.
resp, _ = exchange(inbox_post(b"Transfer-Encoding: chunked\r\n", b"2\r\n{}\r\n" + CHUNKED_BODY) +
                   b"GET /nosuchpage HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n")
report("Transfer-Encoding: chunked alone is read, then the next request", statuses(resp) == [401, 404],
       "got %s" % statuses(resp))

# Absolute-form targets are served as their origin-form, their authority checked as the Host.
actor = b"Accept: application/activity+json\r\n"
absolute = lambda authority, host=HOST, version=b"1.1": (
    b"GET http://" + authority + b"/users/alice HTTP/" + version + b"\r\n" + host + actor + b"Connection: close\r\n\r\n")
# The actor's keys are made at its first fetch, which may take a while on a loaded machine.
expect("the actor in origin-form", get(b"/users/alice", actor), 200, wait=60)
resp = expect("absolute-form target", absolute(DOMAIN.encode()), 200)
report("absolute-form target answers the actor", b'"preferredUsername":"alice"' in resp, resp[-300:])
expect("absolute-form with an upper-case scheme and host",
       b"GET HTTP://" + DOMAIN.upper().encode() + b"/users/alice HTTP/1.1\r\n" + HOST + actor +
       b"Connection: close\r\n\r\n", 200)
expect("absolute-form: its authority stands for the Host",
       absolute(DOMAIN.encode(), b"Host: evil.example\r\n"), 200)
resp = expect("absolute-form naming another host", absolute(b"evil.example"), 421)
report("absolute-form refusal names the instance", DOMAIN.encode() in resp, resp[-300:])
expect("absolute-form naming another host over HTTP/1.0", absolute(b"evil.example", b"", b"1.0"), 421)
expect("absolute-form with user information", absolute(b"user@" + DOMAIN.encode()), 400)
expect("absolute-form without Host in HTTP/1.1", absolute(DOMAIN.encode(), b""), 400)

# The Host check comes before the response cache: a cached answer (filled over HTTP/1.0,
# which needs no Host, on each server thread) is no answer to a request without a Host or
# with two.
cached = b"GET /users/alice HTTP/1.%s\r\n%s" + actor + b"Connection: close\r\n\r\n"
for _ in range(4):
    expect("fill the cache over HTTP/1.0", cached % (b"0", b""), 200)
    expect("fill the cache with the Host", cached % (b"1", HOST), 200)
expect("HTTP/1.1 without Host after the cache was filled", cached % (b"1", b""), 400)
expect("two Host headers after the cache was filled", cached % (b"1", HOST + b"Host: evil.example\r\n"), 400)

# Targets with bytes that a terminal would act on: the access log gets them escaped (checked
# by the suite).
expect("a target with a C1 CSI and a byte that is not UTF-8", get(b"/\xc2\x9b31mno\xffpage"), 404)

# HTTP/1.0: answered, then closed (no keep-alive unless asked).
resp, closed = exchange(b"GET /users/alice HTTP/1.0\r\nAccept: application/activity+json\r\n\r\n")
report("HTTP/1.0 is answered and closed", statuses(resp) == [200] and closed, "got %s, closed=%s" % (statuses(resp), closed))

# Pipelining: three requests in one write, three answers in order.
resp, _ = exchange(b"GET /health HTTP/1.1\r\n" + HOST + b"\r\n" +
                   b"GET /nosuchpage HTTP/1.1\r\n" + HOST + b"\r\n" +
                   b"GET /nodeinfo/2.0 HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n")
report("pipelined requests are answered in order", statuses(resp) == [200, 404, 200], "got %s" % statuses(resp))

# Garbage instead of HTTP (a TLS hello on the plain port), and an unknown method.
expect("a TLS hello", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 100, 400)
expect("an unknown method", b"BREW /health HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n", 405)

healthy("the server is still up")
print("done", flush=True)
