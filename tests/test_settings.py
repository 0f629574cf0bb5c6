"""Production settings: safe defaults, required secrets, and `check --deploy` passes."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from csp.constants import NONCE

ROOT = Path(__file__).resolve().parent.parent


def _run(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    unwanted = {"SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings.production", **env_extra})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_production_passes_check_deploy():
    result = _run({
        "SECRET_KEY": secrets.token_urlsafe(64),
        "IDENTITY_CODE_HASH_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "pal.example.fi",
        "DATABASE_URL": "postgres://portal@127.0.0.1:1/portal",
    }, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _run({"ALLOWED_HOSTS": "pal.example.fi",
                   "DATABASE_URL": "postgres://portal@127.0.0.1:1/portal"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is required in production" in result.stderr


def test_base_settings_are_safe_without_environment():
    from portal.settings import base

    assert base.DEBUG is False
    assert os.environ.get("SECRET_KEY", "") == base.SECRET_KEY
    assert base.SESSION_COOKIE_HTTPONLY
    # The idle timeout slides (SlidingSessionMiddleware, right after SessionMiddleware).
    sessions = base.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert base.MIDDLEWARE[sessions + 1] == "portal.accounts.middleware.SlidingSessionMiddleware"
    assert 0 < base.SESSION_EXTEND_INTERVAL < base.SESSION_COOKIE_AGE
    # 'self' and, only in responses that use one, a nonce (tests/test_admin_csp.py).
    assert base.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'", NONCE]
