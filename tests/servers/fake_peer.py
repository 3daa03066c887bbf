#!/usr/bin/env python3
"""A fediverse peer for tests, on loopback only (standard library only).

It serves WebFinger, actors and NodeInfo from files, misbehaves on purpose on special paths,
and records every POST it receives.

  fake_peer.py --root DIR --port-file FILE [--log FILE]

DIR holds (every file optional; "{base}" in a file becomes http://127.0.0.1:PORT, "{host}"
becomes 127.0.0.1:PORT):
  webfinger/<user>.json   answer to /.well-known/webfinger?resource=acct:<user>@...
  webfinger/<user>.http   a raw answer (status line, headers, blank line, body), as captured
  actors/<user>.json      answer to GET /users/<user>
  nodeinfo.json           answer to GET /nodeinfo/2.0 (a minimal Mastodon one otherwise)
  inbox.json              {"/path": status, ...}: how POSTs are answered (re-read each time;
                          default 202; "slow" sleeps past the client's timeout)
  signatures.json         {"accept": ["cavage", "rfc9421"]}: when present, a POST signed with
                          another standard is answered 401, and one signed with an accepted
                          standard is verified for real (the signer's key fetched by its keyId,
                          the Digest or Content-Digest checked, openssl verifies) or answered 401

Special GET paths: /slow (answers after 5 s), /big (2 MiB), /big-chunked (2 MiB without a
length), /notjson (HTML), /redirect?to=URL (302), /loop/N (redirects to /loop/N+1 forever),
/status/N.
Every POST is appended to the log as one JSON line: {"path", "status", "headers", "body",
"standard" ("cavage", "rfc9421" or null), "verified" (null when signatures.json is absent)}.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ARGS = None
BASE = ""
LOCK = threading.Lock()


def read_file(*parts):
    path = os.path.join(ARGS.root, *parts)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        return f.read().replace("{base}", BASE).replace("{host}", BASE.split("://", 1)[1])


def fetch_key(key_id):
    req = urllib.request.Request(key_id.split("#")[0], headers={"Accept": "application/activity+json"})
    with urllib.request.urlopen(req, timeout=10) as res:
        doc = json.loads(res.read().decode())
    return doc["publicKey"]["publicKeyPem"]


def rsa_verify(pem, data, signature):
    with tempfile.TemporaryDirectory() as d:
        key, sig = os.path.join(d, "key.pem"), os.path.join(d, "sig")
        with open(key, "w") as f:
            f.write(pem)
        with open(sig, "wb") as f:
            f.write(signature)
        r = subprocess.run(["openssl", "dgst", "-sha256", "-verify", key, "-signature", sig],
                           input=data.encode(), capture_output=True)
        return r.returncode == 0


def verify_cavage(method, target, headers, body):
    h = {k.lower(): v for k, v in headers.items()}
    params = dict(re.findall(r'(\w+)="([^"]*)"', h.get("signature", "")))
    names = params.get("headers", "date").split()
    lines = []
    for n in names:
        lines.append(f"{n}: {method.lower()} {target}" if n == "(request-target)" else f"{n}: {h[n]}")
    if "digest" in h:
        want = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        if h["digest"] != want:
            return False
    return rsa_verify(fetch_key(params["keyId"]), "\n".join(lines), base64.b64decode(params["signature"]))


def verify_rfc9421(method, target, headers, body):
    """Enough of RFC 9421 for what instctl sends: one signature, string components."""
    h = {k.lower(): v for k, v in headers.items()}
    label, inner = h["signature-input"].split("=", 1)
    comps_text, params = inner[1:].split(")", 1)
    comps = re.findall(r'"([^"]+)"', comps_text)
    key_id = re.search(r';keyid="([^"]+)"', params).group(1)
    sig = re.match(re.escape(label) + r"=:([A-Za-z0-9+/=]+):$", h["signature"]).group(1)
    authority = h["host"].lower()
    derived = {"@method": method, "@authority": authority, "@target-uri": "http://" + authority + target,
               "@path": target.split("?")[0], "@query": "?" + target.partition("?")[2]}
    lines = [f'"{c}": {derived[c] if c.startswith("@") else h[c]}' for c in comps]
    lines.append(f'"@signature-params": {inner}')
    if "content-digest" in comps:
        want = "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"
        if h["content-digest"] != want:
            return False
    return rsa_verify(fetch_key(key_id), "\n".join(lines), base64.b64decode(sig))


def check_signature(method, target, headers, body):
    """(standard, verified) per signatures.json; verified is None when there is no such file."""
    lower = {k.lower() for k in headers.keys()}
    standard = "rfc9421" if "signature-input" in lower else "cavage" if "signature" in lower else None
    raw = read_file("signatures.json")
    if not raw:
        return standard, None
    if standard not in json.loads(raw).get("accept", []):
        return standard, False
    try:
        check = verify_rfc9421 if standard == "rfc9421" else verify_cavage
        return standard, check(method, target, headers, body)
    except Exception:  # noqa: BLE001 - any malformed signature is a refusal
        return standard, False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def send(self, status, body, ctype="application/json", extra=None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def send_raw(self, raw):
        head, _, body = raw.replace("\r\n", "\n").partition("\n\n")
        lines = head.split("\n")
        status = int(lines[0].split()[1])
        self.send_response(status)
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() not in ("content-length", "connection", "date", "server"):
                self.send_header(name.strip(), value.strip())
        data = body.encode()
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        path, query = url.path, parse_qs(url.query)
        if path == "/.well-known/webfinger":
            resource = query.get("resource", [""])[0]
            m = re.match(r"^(?:acct:)?@?([^@]+)@", resource)
            user = m.group(1) if m else resource.rstrip("/").rsplit("/", 1)[-1]
            raw = read_file("webfinger", user + ".http")
            if raw is not None:
                return self.send_raw(raw)
            doc = read_file("webfinger", user + ".json")
            if doc is None:
                return self.send(404, "{}")
            return self.send(200, doc, "application/jrd+json; charset=utf-8")
        m = re.match(r"^/users/([^/]+)$", path)
        if m:
            doc = read_file("actors", m.group(1) + ".json")
            if doc is None:
                return self.send(404, "{}")
            return self.send(200, doc, "application/activity+json; charset=utf-8")
        if path == "/.well-known/nodeinfo":
            return self.send(200, json.dumps({"links": [{
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                "href": BASE + "/nodeinfo/2.0"}]}))
        if path == "/nodeinfo/2.0":
            doc = read_file("nodeinfo.json") or json.dumps({
                "version": "2.0", "software": {"name": "mastodon", "version": "4.3.0"},
                "protocols": ["activitypub"], "openRegistrations": False,
                "usage": {"users": {"total": 3}}})
            return self.send(200, doc)
        if path == "/slow":
            time.sleep(5)
            return self.send(200, "{}")
        if path == "/big":
            return self.send(200, b"x" * (2 * 1024 * 1024))
        if path == "/big-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"y" * 65536
            try:
                for _ in range(32):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            return None
        if path == "/notjson":
            return self.send(200, "<html><body>Hello</body></html>", "text/html")
        if path == "/redirect":
            return self.send(302, "", "text/plain", {"Location": query.get("to", ["/"])[0]})
        m = re.match(r"^/loop/(\d+)$", path)
        if m:
            return self.send(302, "", "text/plain", {"Location": "/loop/%d" % (int(m.group(1)) + 1)})
        m = re.match(r"^/status/(\d+)$", path)
        if m:
            return self.send(int(m.group(1)), "{}")
        if path == "/headers":
            return self.send(200, json.dumps(dict(self.headers.items())))
        return self.send(404, "{}")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw_body = self.rfile.read(length)
        body = raw_body.decode("utf-8", "replace")
        path = urlparse(self.path).path
        behaviour = {}
        raw = read_file("inbox.json")
        if raw:
            behaviour = json.loads(raw)
        status = behaviour.get(path, 202)
        standard, verified = check_signature("POST", self.path, dict(self.headers.items()), raw_body)
        if verified is False:
            status = 401
        if ARGS.log:
            with LOCK, open(ARGS.log, "a", encoding="utf-8") as f:
                f.write(json.dumps({"path": self.path, "status": status,
                                    "headers": dict(self.headers.items()), "body": body,
                                    "standard": standard, "verified": verified}) + "\n")
        if status == "slow":
            time.sleep(30)
            status = 202
        return self.send(int(status), "{}")


def main():
    global ARGS, BASE
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log")
    ARGS = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    BASE = "http://127.0.0.1:%d" % server.server_address[1]
    tmp = ARGS.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, ARGS.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
