#!/usr/bin/env bash
# `instctl waitlist process --batch N --send` (admit N entries and mail their invites) against
# a baseline in the same run: Python's smtplib sending the same N messages over one connection
# to the same kind of local server (Debian's aiosmtpd writing a maildir), which is the limit for
# any sender. RUNS (default 3) fresh instances, servers and maildirs; the medians are
# printed, and the ratio is the median of each run's ratio. Target: ratio <= 1.2. Also
# admissions per second without --send.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BIN=${1:?usage: bench_waitlist.sh path/to/instctl}
N=${N:-10000}
RUNS=${RUNS:-3}
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

# 2. Admissions and mail through the local server, then 3. the baseline: the same messages
# (as delivered, without the server's X- headers) sent by smtplib over one connection to a
# fresh server. Each run on a fresh instance and maildirs.
: >"$TMP/send"
: >"$TMP/base"
: >"$TMP/ratio"
for r in $(seq 1 "$RUNS"); do
  rm -rf "$TMP/maildir-instctl" "$TMP/maildir-python"
  new_instance "$TMP/send$r.db"
  "$BIN" config set mail.smtp_url "smtp://127.0.0.1:$port" >/dev/null 2>&1
  "$BIN" config set mail.from invites@bench.example >/dev/null 2>&1
  start_smtp "$TMP/maildir-instctl"
  t0=$(now_ns)
  "$BIN" -q waitlist process --batch "$N" --send >/dev/null
  t1=$(now_ns)
  send_ns=$((t1 - t0))
  sent=$(find "$TMP/maildir-instctl/new" -type f | wc -l)
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
  [ "$sent" = "$N" ] && [ "$base_sent" = "$N" ] ||
    { echo "bench_waitlist: run $r delivered $sent (instctl) and $base_sent (smtplib) of $N" >&2; exit 1; }
  echo "$send_ns" >>"$TMP/send"
  echo "$base_ns" >>"$TMP/base"
  echo "$send_ns $base_ns" | awk '{ printf "%.4f\n", $1 / $2 }' >>"$TMP/ratio"
done
send_ns=$(median "$TMP/send")
base_ns=$(median "$TMP/base")
ratio=$(printf '%.2f' "$(median "$TMP/ratio")")

s() { echo "$1 / 1000000000" | bc -l; }
printf '%-52s %10s\n' "waitlist, $N entries (median of $RUNS)" "seconds"
printf '%-52s %10.2f  (%s per mail)\n' "instctl waitlist process --batch $N --send" "$(s "$send_ns")" \
  "$(awk -v t="$send_ns" -v n="$N" 'BEGIN { printf "%.2f ms", t / n / 1e6 }')"
printf '%-52s %10.2f  (%s per mail)\n' "python3 smtplib, same messages, one connection" "$(s "$base_ns")" \
  "$(awk -v t="$base_ns" -v n="$N" 'BEGIN { printf "%.2f ms", t / n / 1e6 }')"
printf '%-52s %10.2f  %s\n' "ratio instctl / smtplib" "$ratio" "$(verdict "$ratio" '<=' 1.2)"
printf '%-52s %10.2f\n' "instctl waitlist process --batch $N (no mail)" "$(s $admit_ns)"
printf '%-52s %10.0f\n' "admissions per second without --send" "$(echo "$N * 1000000000 / $admit_ns" | bc -l)"
result_row "\`waitlist process --batch $N --send\` vs Python smtplib, same messages and server" \
  "$(printf '%.2f s' "$(s "$send_ns")")" "$(printf '%.2f s' "$(s "$base_ns")")" "$ratio" '<=' 1.2
