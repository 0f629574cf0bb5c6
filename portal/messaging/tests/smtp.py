"""A real SMTP server on loopback (aiosmtpd) for the round-trip test and the benchmark."""

from __future__ import annotations

import contextlib
import socket
import threading
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Collector:
    """Keeps every accepted message; refuses RCPT for addresses in `reject`."""

    def __init__(self, keep: bool = True):
        self.keep = keep
        self.count = 0
        self.messages = []
        self.reject: set[str] = set()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.reject:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self._lock:
            self.count += 1
            if self.keep:
                self.messages.append((list(envelope.rcpt_tos),
                                      message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def smtp_server(keep: bool = True):
    """Start the server on 127.0.0.1 at a free port; stop it afterwards. `start()`
    returns only once the server answers, so nobody has to wait a fixed time."""
    collector = Collector(keep=keep)
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield collector, controller.port
    finally:
        controller.stop()


def smtp_backend(settings):
    """A fixture's body: Django sends through a fresh server like the one above for the
    test's duration; yields its Collector. Use as `yield from smtp_backend(settings)`."""
    with smtp_server() as (collector, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = (
            False, "", "")
        yield collector
