"""Local development and the demo: SQLite by default, DEBUG on, mail to the console."""

import os

from .base import *  # noqa: F403
from .base import env_list, tasks_setting

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"  # noqa: S105
IDENTITY_CODE_HASH_KEY = os.environ.get("IDENTITY_CODE_HASH_KEY") or "dev-only-hash-key"
# Union sites answer on <slug>.localhost; Django treats ".localhost" as a wildcard.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ".localhost,127.0.0.1,localhost")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Step-up codes are written to the server's log (portal/stepup/sms.py).
STEPUP_SMS_BACKEND = os.environ.get("STEPUP_SMS_BACKEND", "portal.stepup.sms.ConsoleBackend")
# The demo's PAL is Wagtail's default site (it answers 127.0.0.1): the platform
# operator signs in on platform.localhost, the platform's own hostname.
PLATFORM_HOSTNAMES = env_list("PLATFORM_HOSTNAMES", "platform.localhost")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://platform.localhost:8000")
# The demo sends bulletins in the web process unless TASKS_BACKEND=database (then run
# `manage.py db_worker` beside runserver): SQLite and one process need no worker.
TASKS = tasks_setting("immediate")
