"""An aiosmtpd maildir handler whose server dies (as if killed) when message LIMIT+1 arrives.

The server process exits before it stores that message, at a point chosen by the test rather
than by timing: `-c dying_mailbox.DyingMailbox MAILDIR LIMIT`.
"""
import os

from aiosmtpd.handlers import Mailbox


class DyingMailbox(Mailbox):
    def __init__(self, mail_dir, limit):
        super().__init__(mail_dir)
        self.limit = int(limit)
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.count >= self.limit:
            os._exit(1)
        self.count += 1
        return await super().handle_DATA(server, session, envelope)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 2:
            parser.error("DyingMailbox needs MAILDIR LIMIT")
        return cls(args[0], args[1])
