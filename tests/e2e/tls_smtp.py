"""An SMTP server with TLS and AUTH for the mail suites, delivering to a maildir.

    tls_smtp.py MODE PORT MAILDIR CERT KEY [USER PASSWORD]

MODE is `starttls` (STARTTLS offered and required before MAIL and AUTH), `smtps` (TLS from the
first byte) or `plain` (no TLS at all; AUTH is still offered, in clear). With USER and PASSWORD
the server requires AUTH and accepts only that pair. Each stored message adds a line to
MAILDIR/../smtp-sessions: `tls=yes|no auth=USER|-`, so a test sees how the message came in.
"""
import os
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult


class LoggingMailbox(Mailbox):
    def __init__(self, mail_dir, log_path):
        super().__init__(mail_dir)
        self.log_path = log_path

    async def handle_DATA(self, server, session, envelope):
        tls = "yes" if server.transport.get_extra_info("ssl_object") else "no"
        user = session.auth_data if session.authenticated else "-"
        with open(self.log_path, "a") as log:
            log.write(f"tls={tls} auth={user}\n")
        return await super().handle_DATA(server, session, envelope)


def main():
    mode, port, mail_dir, cert, key = sys.argv[1:6]
    creds = sys.argv[6:8]
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    handler = LoggingMailbox(mail_dir, os.path.join(os.path.dirname(mail_dir), "smtp-sessions"))

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = bool(creds) and [auth_data.login.decode(), auth_data.password.decode()] == creds
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login.decode())

    kwargs = {"authenticator": authenticator, "auth_required": bool(creds)}
    if mode == "starttls":
        kwargs.update(tls_context=ctx, require_starttls=True, auth_require_tls=True)
    else:  # smtps: the whole session is TLS (aiosmtpd only counts STARTTLS); plain: in clear
        kwargs.update(auth_require_tls=False)
    controller = Controller(handler, hostname="127.0.0.1", port=int(port),
                            ssl_context=ctx if mode == "smtps" else None,
                            ready_timeout=10, **kwargs)
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
