"""A real SMTP server process (tests/smtp_server.py, aiosmtpd) and what it received."""

import email
import email.policy
import mailbox
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = ["SmtpServer", "free_port", "smtp_server", "use_smtp"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SmtpServer:
    port: int
    maildir: Path
    hold_file: Path
    process: subprocess.Popen

    def messages(self) -> list[email.message.EmailMessage]:
        box = mailbox.Maildir(self.maildir, create=True)
        return [
            email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
            for key in sorted(box.keys())
        ]

    def hold(self) -> None:
        """Leave the next messages' DATA unanswered until `release`, then refuse them."""
        self.hold_file.touch()

    def release(self) -> None:
        self.hold_file.unlink(missing_ok=True)

    @property
    def holding(self) -> bool:
        """Whether a message is being held (a sender is waiting for the answer to its DATA)."""
        return Path(f"{self.hold_file}.held").exists()


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def use_smtp(settings, port: int) -> None:
    """Send through SMTP to this port (Django's test set-up keeps mail in memory otherwise)."""
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port


@pytest.fixture
def smtp_server(tmp_path, settings):
    """A real SMTP server on a free port; Django's settings point at it."""
    port = free_port()
    maildir = tmp_path / "maildir"
    process = subprocess.Popen(
        [
            sys.executable,
            str(Path(settings.BASE_DIR) / "tests" / "smtp_server.py"),
            "--port",
            str(port),
            "--maildir",
            str(maildir),
            "--hold",
            str(tmp_path / "hold"),
        ]
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            assert process.poll() is None, "the SMTP server exited during start-up"
            assert time.monotonic() < deadline, "the SMTP server did not answer within 20 s"
            time.sleep(0.1)
    use_smtp(settings, port)
    settings.EMAIL_TIMEOUT = 60
    server = SmtpServer(port=port, maildir=maildir, hold_file=tmp_path / "hold", process=process)
    try:
        yield server
    finally:
        server.release()
        process.terminate()
        process.wait(timeout=10)
