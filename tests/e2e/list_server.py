#!/usr/bin/env python3
"""A loopback HTTP server for blocklist subscriptions: serves the files of DIR (rewritten by
the suite between steps) with an ETag and Last-Modified, answers 304 to a matching
If-None-Match, 500 for /fail, a 20 MB body for /huge, and logs "PATH STATUS" lines to LOG.

Usage: list_server.py PORT DIR LOG
"""
import hashlib
import http.server
import os
import sys

PORT, ROOT, LOG = int(sys.argv[1]), sys.argv[2], sys.argv[3]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (its size cap)
        with open(LOG, "a") as log:
            log.write(f"{self.path} {status}\n")

    def do_GET(self):
        if self.path == "/fail":
            return self.answer(500, b"broken")
        if self.path == "/huge":
            return self.answer(200, b"a.example\n" * (2 * 1024 * 1024))
        path = os.path.join(ROOT, os.path.basename(self.path))
        if not os.path.isfile(path):
            return self.answer(404, b"no such list")
        with open(path, "rb") as f:
            body = f.read()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            return self.answer(304, headers=[("ETag", etag)])
        self.answer(200, body, [("ETag", etag), ("Content-Type", "text/csv"),
                                ("Last-Modified", "Sun, 06 Dec 2026 10:00:00 GMT")])


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
