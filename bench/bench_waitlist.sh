#!/usr/bin/env bash
# `instctl waitlist process --batch N --send` (admit N entries and mail their invites) against
# a baseline in the same run: Python's smtplib sending the same N messages over one connection
# to the same kind of local server (Debian's aiosmtpd writing a maildir), which is the limit for
# any sender. Target: ratio <= 1.5. Also admissions per second without --send.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BIN=${1:?usage: bench_waitlist.sh path/to/instctl}
N=${N:-10000}
PY=/usr/bin/python3
bench_tmp
SMTP_PID=""
at_exit+=('[ -n "$SMTP_PID" ] && kill $SMTP_PID 2>/dev/null')
export INSTCTL_ACTOR=cli:bench

port=$(free_port)
start_smtp() {  # start_smtp MAILDIR
  [ -n "$SMTP_PID" ] && { kill $SMTP_PID; wait $SMTP_PID 2>/dev/null || true; }
  $PY -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$1" 2>>"$TMP/smtp.log" &
  SMTP_PID=$!
  for _ in $(seq 1 100); do
    $PY -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "aiosmtpd did not start" >&2
  exit 1
}
new_instance() {  # new_instance DB: N waiting entries
  export INSTCTL_DB=$1
  "$BIN" -q init --domain bench.example --title "Bench Social" >/dev/null
  { echo email; seq 1 "$N" | sed 's/.*/reader&@bench.example/'; } >"$TMP/list.csv"
  "$BIN" -q waitlist import "$TMP/list.csv" >/dev/null
}

# 1. Admissions alone.
new_instance "$TMP/admit.db"
t0=$(now_ns)
"$BIN" -q waitlist process --batch "$N" >/dev/null
t1=$(now_ns)
admit_ns=$((t1 - t0))

# 2. Admissions and mail through the local server.
new_instance "$TMP/send.db"
"$BIN" config set mail.smtp_url "smtp://127.0.0.1:$port" >/dev/null 2>&1
"$BIN" config set mail.from invites@bench.example >/dev/null 2>&1
start_smtp "$TMP/maildir-instctl"
t0=$(now_ns)
"$BIN" -q waitlist process --batch "$N" --send >/dev/null
t1=$(now_ns)
send_ns=$((t1 - t0))
sent=$(find "$TMP/maildir-instctl/new" -type f | wc -l)

# 3. The baseline: the same messages (as delivered, without the server's X- headers) sent by
# smtplib over one connection to a fresh server.
start_smtp "$TMP/maildir-python"
base_ns=$($PY - "$TMP/maildir-instctl/new" "$port" <<'PY'
import os, smtplib, sys, time
d, port = sys.argv[1], int(sys.argv[2])
msgs = []
for name in sorted(os.listdir(d)):
    with open(os.path.join(d, name), "rb") as f:
        raw = f.read()
    head, _, body = raw.partition(b"\n\n")
    lines = [l for l in head.split(b"\n") if not l.startswith(b"X-")]
    rcpt = next(l for l in head.split(b"\n") if l.startswith(b"X-RcptTo: "))[10:].decode()
    msgs.append((rcpt, b"\r\n".join(lines) + b"\r\n\r\n" + body.replace(b"\n", b"\r\n")))
t0 = time.perf_counter_ns()
with smtplib.SMTP("127.0.0.1", port) as s:
    s.ehlo()
    for rcpt, data in msgs:
        s.sendmail("invites@bench.example", [rcpt], data)
print(time.perf_counter_ns() - t0)
PY
)
base_sent=$(find "$TMP/maildir-python/new" -type f | wc -l)

s() { echo "$1 / 1000000000" | bc -l; }
printf '%-52s %10s\n' "waitlist, $N entries" "seconds"
printf '%-52s %10.2f  (%s delivered)\n' "instctl waitlist process --batch $N --send" "$(s $send_ns)" "$sent"
printf '%-52s %10.2f  (%s delivered)\n' "python3 smtplib, same messages, one connection" "$(s $base_ns)" "$base_sent"
printf '%-52s %10.2f  %s\n' "ratio instctl / smtplib" "$(echo "$send_ns / $base_ns" | bc -l)" \
  "$(verdict "$(echo "$send_ns / $base_ns" | bc -l)" '<=' 1.5)"
printf '%-52s %10.2f\n' "instctl waitlist process --batch $N (no mail)" "$(s $admit_ns)"
printf '%-52s %10.0f\n' "admissions per second without --send" "$(echo "$N * 1000000000 / $admit_ns" | bc -l)"
