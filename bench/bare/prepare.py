"""Creates, migrates and populates the bare project's database, then prints what the
benchmark needs as one JSON line: host, path, a signed-in session cookie and the SQL
queries of one signed-in request.

Run in its own process (the bench process has the portal's settings):
    DATABASE_URL=... python -m bench.bare.prepare --host bare.localhost
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"

import django  # noqa: E402
import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

from bench.common import session_cookie  # noqa: E402

USERNAME = "bench-admin"
BODY = "<p>A plain Wagtail page: the baseline.</p>"


def create_database() -> None:
    """CREATE DATABASE on the same server unless it exists (settings name it)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"],
              "password": db["PASSWORD"] or None, "dbname": "postgres"}
    with psycopg.connect(**params, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))


def populate(host: str):
    """One BarePage as the root of the only Site (hostname `host`), and a superuser."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page, Site

    from bench.bare.home.models import BarePage

    page = BarePage.objects.first()
    if page is None:
        root = Page.get_first_root_node()
        page = root.add_child(instance=BarePage(title="Plain page", slug="bare", body=BODY))
    Site.objects.exclude(root_page=page).delete()
    # `wagtail start`'s welcome page is not needed once no site shows it.
    Page.objects.filter(depth=2).exclude(pk=page.pk).delete()
    Site.objects.update_or_create(
        root_page=page, defaults={"hostname": host, "port": 80, "is_default_site": True,
                                  "site_name": "bare"})
    user_model = get_user_model()
    user = user_model.objects.filter(username=USERNAME).first()
    if user is None:
        user = user_model.objects.create_superuser(
            USERNAME, f"{USERNAME}@bare.localhost", None)
    return page, user


def count_queries(host: str, path: str, cookie: tuple[str, str]) -> int:
    """SQL queries of a signed-in request after a first one has warmed the caches."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=host)
    client.cookies[cookie[0]] = cookie[1]
    first = client.get(path)
    if first.status_code != 200 or b"Plain page" not in first.content:
        raise SystemExit(f"bare page answered {first.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="bare.localhost")
    args = parser.parse_args()
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    create_database()
    call_command("migrate", interactive=False, verbosity=0)
    page, user = populate(args.host)
    cookie = session_cookie(user)
    path = page.get_url_parts()[2] if page.get_url_parts() else "/"
    print(json.dumps({  # noqa: T201 - the output the bench reads
        "host": args.host, "path": path, "cookie": f"{cookie[0]}={cookie[1]}",
        "database": settings.DATABASES["default"]["NAME"],
        "queries": count_queries(args.host, path, cookie)}))


if __name__ == "__main__":
    main()
