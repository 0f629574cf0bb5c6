"""WSGI entry of the bare baseline project (served by gunicorn in bench/pages_bench.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bare.settings")

application = get_wsgi_application()
