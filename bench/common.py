"""What every benchmark script needs before it imports the project."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(settings_module: str = "portal.settings.bench") -> None:
    """Put the project on the path and start Django (scripts run as `python -m bench.x`)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def add_scale_arguments(parser) -> None:
    """The union size of the benchmarks; defaults are the design scale of one union."""
    parser.add_argument("--members", type=int, default=300_000)
    parser.add_argument("--employers", type=int, default=30_000)
    parser.add_argument("--workplaces", type=int, default=60_000)
    parser.add_argument("--branches", type=int, default=1_500)


def scale_from(args):
    from portal.union.demo import DemoSize

    return DemoSize(members=args.members, employers=args.employers,
                    workplaces=args.workplaces, branches=args.branches)


def session_cookie(user) -> tuple[str, str]:
    """A signed-in session of `user` in the running project's session store, as
    `(cookie name, session key)`; used for the portal and the bare project alike."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(3600 * 4)
    store.save()
    return settings.SESSION_COOKIE_NAME, store.session_key
