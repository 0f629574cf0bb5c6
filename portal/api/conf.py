"""The API's limits (portal/settings/base.py sets them; docs/register-integration.md)."""

from django.conf import settings


def rate_limit() -> int:
    """Calls a client may make in one window."""
    return int(getattr(settings, "API_RATE_LIMIT", 120))


def rate_window() -> int:
    """The fixed window's length in seconds."""
    return int(getattr(settings, "API_RATE_WINDOW", 60))


def max_body_bytes() -> int:
    return int(getattr(settings, "API_MAX_BODY_BYTES", 16 * 1024 * 1024))


def max_records() -> int:
    return int(getattr(settings, "API_MAX_RECORDS", 10_000))


def idempotency_hours() -> int:
    return int(getattr(settings, "API_IDEMPOTENCY_HOURS", 24))
