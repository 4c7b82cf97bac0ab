"""A real SMTP server for the tests (aiosmtpd), run as its own process by tests/mail.py.

Every message it accepts is stored in a Maildir. While the file named by --hold exists, it
leaves each message's DATA unanswered (and says so by creating `<hold>.held`); once the file is
gone it refuses that message (451), so a test can kill a sender in the middle of a send and know
the message was not taken.

    python tests/smtp_server.py --port 2525 --maildir /tmp/mail [--hold /tmp/hold]
"""

import argparse
import asyncio
import mailbox
import signal
from pathlib import Path

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, maildir: Path, hold: Path | None):
        self.box = mailbox.Maildir(maildir, create=True)
        self.hold = hold

    async def handle_DATA(self, server, session, envelope):
        if self.hold and self.hold.exists():
            Path(f"{self.hold}.held").touch()
            while self.hold.exists():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Held by the test and refused"
        self.box.add(envelope.original_content)
        return "250 2.0.0 Stored"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", type=Path, required=True)
    parser.add_argument("--hold", type=Path)
    args = parser.parse_args()
    controller = Controller(Handler(args.maildir, args.hold), hostname="127.0.0.1", port=args.port)
    controller.start()
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
