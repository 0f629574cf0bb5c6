"""The test suite. It runs on PostgreSQL (DATABASE_URL, set by `make test`)."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import TASK_BACKENDS, WAGTAILSEARCH_BACKENDS, env_bool

if env_bool("CI") and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    raise ImproperlyConfigured("CI runs the suite on PostgreSQL: set DATABASE_URL (make test).")

SECRET_KEY = "test-only-not-secret"  # noqa: S105
IDENTITY_CODE_HASH_KEY = "test-only-hash-key"
ALLOWED_HOSTS = [".localhost", "testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each pytest-xdist worker (gw0, gw1, ...) has its own test database (pytest-django adds
# the suffix) and its own Elasticsearch indexes: the prefix carries the worker's name.
SEARCH_INDEX_PREFIX = "-".join(filter(None, (
    os.environ.get("SEARCH_INDEX_PREFIX", "portal-test"), os.environ.get("PYTEST_XDIST_WORKER"))))
if "INDEX_PREFIX" in WAGTAILSEARCH_BACKENDS["default"]:
    WAGTAILSEARCH_BACKENDS["default"]["INDEX_PREFIX"] = f"{SEARCH_INDEX_PREFIX}-wagtail-"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run where they are enqueued, whatever TASKS_BACKEND says; the tests of the
# database worker switch the backend themselves.
TASKS = {"default": {"BACKEND": TASK_BACKENDS["immediate"]}}
# The sensitive views' second step (portal/stepup) is off for the suite at large, so
# tests of those views need not text a code; portal/stepup/tests and the journey turn it
# on and test each protected view's refusal.
STEPUP_ENFORCED = False
# Mounts the provider webhooks (portal/messaging/webhooks.py) for the webhook tests.
ANYMAIL = {"WEBHOOK_SECRET": "test-webhook:not-secret"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Django's backend with a cheaper reset around transactional tests (portal/testdb).
    DATABASES["default"]["ENGINE"] = "portal.testdb"  # noqa: F405
