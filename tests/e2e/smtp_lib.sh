# A real SMTP server for the mail suites: Debian's aiosmtpd on a free loopback port,
# delivering to a maildir. Source after lib.sh.

SMTP_PORT="" SMTP_PID="" MAILDIR=""

# start_smtp [HANDLER ARGS...]: (re)starts the server; default handler: the maildir Mailbox.
# With SMTP_LOG_COMMANDS=1 the server logs every command it reads to $TMP/smtp.log
# (smtp_commands counts them).
start_smtp() {
  MAILDIR=${MAILDIR:-$TMP/maildir}
  [ -n "$SMTP_PORT" ] || SMTP_PORT=$(free_port)
  local handler=${1:-aiosmtpd.handlers.Mailbox}
  shift || true
  local flags=()
  [ "${SMTP_LOG_COMMANDS:-0}" = 1 ] && flags=(-d)
  PYTHONPATH="$SRC/tests/e2e" /usr/bin/python3 -m aiosmtpd -n "${flags[@]}" -l "127.0.0.1:$SMTP_PORT" \
    -c "$handler" "$MAILDIR" "$@" >>"$TMP/smtp.log" 2>&1 &
  SMTP_PID=$!
  local i
  for i in $(seq 1 100); do
    kill -0 "$SMTP_PID" 2>/dev/null || break  # it could not listen: the port is not its
    if /usr/bin/python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $SMTP_PORT), 0.2)" 2>/dev/null; then
      return 0
    fi
    sleep 0.05
  done
  echo "the SMTP server did not start: $(cat "$TMP/smtp.log")" >&2
  exit 1
}
stop_smtp() {
  [ -n "$SMTP_PID" ] && kill "$SMTP_PID" 2>/dev/null && wait "$SMTP_PID" 2>/dev/null
  SMTP_PID=""
}
on_exit stop_smtp

use_smtp() {  # points the instance at the test server
  "$BIN" config set mail.smtp_url "smtp://127.0.0.1:$SMTP_PORT" >/dev/null 2>&1 &&
    "$BIN" config set mail.from "invites@localhost" >/dev/null 2>&1
}

# smtp_commands FROM_LINE: "VERB count" for each command the server read since line FROM_LINE
# of $TMP/smtp.log (started with SMTP_LOG_COMMANDS=1), one verb a line, sorted.
smtp_commands() {
  tail -n +"$1" "$TMP/smtp.log" | sed -n "s/.* >> b'\([A-Za-z]*\).*/\1/p" | tr a-z A-Z |
    sort | uniq -c | awk '{ print $2, $1 }'
}

# The delivered messages, one file each.
mail_files() { find "$MAILDIR/new" -type f 2>/dev/null | sort; }
mail_count() { mail_files | wc -l; }
# The recipients of every delivered message, one per line.
mail_recipients() { local f; for f in $(mail_files); do sed -n 's/^X-RcptTo: //p' "$f"; done; }

# delivered_to ADDRESS: "subject|Message-ID domain" of each message delivered to ADDRESS, then its
# body (checked to be RFC 5322 on the way).
delivered_to() {
  /usr/bin/python3 - "$MAILDIR/new" "$1" <<'PY'
import email, email.policy, os, re, sys
d, to = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
    with open(os.path.join(d, name), "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    if msg["To"].addresses[0].addr_spec != to:
        continue
    for h in ("Date", "Message-ID", "From", "To", "Subject", "MIME-Version"):
        assert msg[h], f"{name}: no {h} header"
    domain = re.fullmatch(r"<[^@<>]+@([^<>]+)>", msg["Message-ID"]).group(1)
    print(f'{msg["Subject"]}|{domain}')
    print(msg.get_content())
PY
}
