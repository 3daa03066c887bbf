#!/usr/bin/env python3
"""Signs an ActivityPub POST the way Mastodon does (draft-cavage HTTP signature, rsa-sha256,
over (request-target) host date digest content-type), or as Mastodon 4.5 and Fedify 2 do with
--standard rfc9421 (RFC 9421: Signature-Input and Signature, label sig1, alg rsa-v1_5-sha256,
over "@method" "@target-uri" "@authority" "date" "content-digest", with an RFC 9530
Content-Digest), and sends it, or prints it.
Standard library plus the openssl command, for the tests and the inbox benchmark.

  sign_post.py --key KEY.pem --key-id URL --url INBOX_URL [options] < BODY

Options:
  --age SECONDS     date the request this long ago (default 0)
  --tamper          change the body after signing (the Digest no longer matches)
  --unsigned        send without Signature (Date and Digest still set)
  --headers LIST    the signed headers (default "(request-target) host date digest content-type")
  --standard S      cavage (default) or rfc9421
  --components LIST RFC 9421: the covered components (default "@method @target-uri @authority
                    date content-digest")
  --alg ALG         RFC 9421: the alg parameter (default rsa-v1_5-sha256; "none" leaves it out)
  --extra-signature RFC 9421: add a second signature (sig2), which the inbox refuses
  --emit            print the request as one JSON line {"method","path","headers","body"}
                    instead of sending it

  sign_post.py --batch < JOBS   signs many at once: each input line {"key","key_id","url","body"}
                                gives one --emit line (the key and URL options are not needed;
                                "standard" in a line overrides --standard)
Sending prints {"status": N, "body": "..."}.
"""

import argparse
import base64
import email.utils
import hashlib
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse


def sign(key, data):
    out = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=data.encode(),
                         capture_output=True, check=True)
    return base64.b64encode(out.stdout).decode()


def rfc9421_value(name, method, url, headers):
    if name == "@method":
        return method
    if name == "@target-uri":
        return url.geturl()
    if name == "@authority":
        return url.netloc.lower()
    if name == "@path":
        return url.path or "/"
    if name == "@query":
        return "?" + url.query
    return next(v for k, v in headers.items() if k.lower() == name)


def build_rfc9421(args, body):
    """RFC 9421 and RFC 9530, as Fedify 2 signs."""
    url = urlparse(args.url)
    target = url.path + ("?" + url.query if url.query else "")
    now = time.time() - args.age
    headers = {
        "Host": url.netloc,
        "Date": email.utils.formatdate(now, usegmt=True),
        "Content-Digest": "sha-256=:" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + ":",
        "Content-Type": "application/activity+json",
    }
    names = args.components.split()
    params = f';created={int(now)};keyid="{args.key_id}"'
    if args.alg != "none":
        params += f';alg="{args.alg}"'
    inner = "(" + " ".join(f'"{n}"' for n in names) + ")" + params
    lines = [f'"{n}": {rfc9421_value(n, "POST", url, headers)}' for n in names]
    lines.append(f'"@signature-params": {inner}')
    if not args.unsigned:
        headers["Signature-Input"] = "sig1=" + inner
        headers["Signature"] = "sig1=:" + sign(args.key, chr(10).join(lines)) + ":"
        if args.extra_signature:
            headers["Signature-Input"] += ", sig2=" + inner
            headers["Signature"] += ", sig2=:" + sign(args.key, chr(10).join(lines)) + ":"
    if args.tamper:
        body = body.replace("}", ', "tampered": true}', 1) if "}" in body else body + " "
    return target, headers, body


def build(args, body):
    if args.standard == "rfc9421":
        return build_rfc9421(args, body)
    url = urlparse(args.url)
    target = url.path + ("?" + url.query if url.query else "")
    headers = {
        "Host": url.netloc,
        "Date": email.utils.formatdate(time.time() - args.age, usegmt=True),
        "Digest": "SHA-256=" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode(),
        "Content-Type": "application/activity+json",
    }
    names = args.headers.split()
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): post {target}")
        else:
            value = next(v for k, v in headers.items() if k.lower() == name)
            lines.append(f"{name}: {value}")
    if not args.unsigned:
        headers["Signature"] = (f'keyId="{args.key_id}",algorithm="rsa-sha256",'
                                f'headers="{" ".join(names)}",'
                                f'signature="{sign(args.key, chr(10).join(lines))}"')
    if args.tamper:
        body = body.replace("}", ', "tampered": true}', 1) if "}" in body else body + " "
    return target, headers, body


def emit(target, headers, body):
    print(json.dumps({"method": "POST", "path": target, "headers": headers, "body": body}))


def batch(args):
    standard = args.standard
    for line in sys.stdin:
        if line.strip():
            job = json.loads(line)
            args.key, args.key_id, args.url = job["key"], job["key_id"], job["url"]
            args.standard = job.get("standard", standard)
            emit(*build(args, job["body"]))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", action="store_true")
    p.add_argument("--key")
    p.add_argument("--key-id")
    p.add_argument("--url")
    p.add_argument("--age", type=float, default=0)
    p.add_argument("--tamper", action="store_true")
    p.add_argument("--unsigned", action="store_true")
    p.add_argument("--headers", default="(request-target) host date digest content-type")
    p.add_argument("--emit", action="store_true")
    p.add_argument("--standard", choices=["cavage", "rfc9421"], default="cavage")
    p.add_argument("--components", default="@method @target-uri @authority date content-digest")
    p.add_argument("--alg", default="rsa-v1_5-sha256")
    p.add_argument("--extra-signature", action="store_true")
    args = p.parse_args()
    if args.batch:
        return batch(args)
    if not (args.key and args.key_id and args.url):
        p.error("--key, --key-id and --url are required")
    body = sys.stdin.read()
    target, headers, body = build(args, body)
    if args.emit:
        return emit(target, headers, body)
    req = urllib.request.Request(args.url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=20) as res:
            status, text = res.status, res.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    print(json.dumps({"status": status, "body": text}))


if __name__ == "__main__":
    main()
