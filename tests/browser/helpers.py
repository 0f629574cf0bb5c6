"""Helpers of the browser suite: both demo unions on one live server, one per
hostname (`localhost` and `127.0.0.1`, since *.localhost resolution in Chromium varies)."""

from __future__ import annotations

import mimetypes
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SIZES = {"mobile": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
HOSTS = ("localhost", "127.0.0.1")
PASSWORD = "demo"  # portal.union.demo_accounts.DEMO_PASSWORD
# An init script: the page collects its Content-Security-Policy violations in
# `window.__csp` (directive and blocked URL), for a test to read and expect empty.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (event) => window.__csp.push(event.violatedDirective + " " + event.blockedURI), true);
"""


@dataclass
class UnionSite:
    slug: str
    base: str
    union: object
    urls: dict[str, str] = field(default_factory=dict)

    def login_email(self, role: str) -> str:
        return f"{role}@{self.slug}.example"


def ensure_wagtail_roots() -> None:
    """A reused test database may have been flushed by an earlier transactional test, which
    removes the tree roots Wagtail's migrations made; put them back."""
    from wagtail.models import Collection, Locale, Page

    from portal.union.actions import ensure_locales

    ensure_locales()
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


# The seeded world, kept per worker process after the first seeding: the tables' rows as
# copies in a schema of the test database, and the bytes of the uploaded files (logos).
SEEDED_SCHEMA = "test_seeded_unions"
_seeded: dict | None = None


def seed_union_sites(live_server) -> list[UnionSite]:
    """Both demo unions on the live server. The first call of a worker seeds them
    (a few seconds) and keeps a copy; later calls empty the database and put the copy
    back (a fraction of a second), so each test still starts from the same world."""
    global _seeded
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management.color import no_style
    from django.db import connection

    from portal.testdb.base import copy_tables, restore_tables

    port = int(re.search(r":(\d+)$", live_server.url).group(1))
    if _seeded is not None and _seeded["port"] == port and connection.vendor == "postgresql":
        tables = connection.introspection.django_table_names(only_existing=True,
                                                             include_views=False)
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
        restore_tables(connection, SEEDED_SCHEMA, _seeded["tables"])
        # A test that overrode STORAGES leaves a new, empty in-memory storage behind.
        for name, content in _seeded["files"].items():
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(content))
        _index_again(_seeded["unions"])
        return _describe(port)
    _seed(port)
    if connection.vendor == "postgresql":
        _seeded = {"port": port, "tables": copy_tables(connection, SEEDED_SCHEMA),
                   "files": _stored_files(), "unions": [s.union.pk for s in _describe(port)]}
    return _describe(port)


def _stored_files() -> dict[str, bytes]:
    from django.core.files.storage import default_storage
    from wagtail.images import get_image_model

    files = {}
    for image in get_image_model().objects.all():
        for name in [image.file.name, *image.renditions.values_list("file", flat=True)]:
            if name and default_storage.exists(name):
                with default_storage.open(name) as file:
                    files[name] = file.read()
    return files


def _index_again(union_ids: list[int]) -> None:
    """The search index may have been rebuilt since the seeding: send the restored
    people and pages to it again, as their saves did."""
    from wagtail.models import Page

    from portal.people.models import Person
    from search import outbox
    from search.models import OutboxTarget

    for union_id in union_ids:
        outbox.enqueue_ids(OutboxTarget.PERSON, Person.objects.filter(union_id=union_id)
                           .values_list("pk", flat=True), union_id=union_id)
    root_paths = Page.objects.filter(depth=2).values_list("path", flat=True)
    for path in root_paths:
        outbox.enqueue_ids(OutboxTarget.PAGE, Page.objects.filter(path__startswith=path)
                           .values_list("pk", flat=True))
    outbox.drain()


def _seed(port: int) -> None:
    from wagtail.models import Site

    from portal.pages.models import ContentPage
    from portal.union.demo import DEMO_UNIONS, DemoSize, remove_wagtail_welcome_site, seed_union

    ensure_wagtail_roots()
    remove_wagtail_welcome_site()
    size = DemoSize(members=30, branches=2, employers=3, workplaces=4, board=3, council=3)
    for i, (spec, host) in enumerate(zip(DEMO_UNIONS, HOSTS, strict=True)):
        union = seed_union(spec, size=size, port=port, default_site=(i == 0)).union
        site = Site.objects.get(pk=union.site_id)
        site.hostname, site.port = host, port
        site.save()
        root = union.root_page
        root.add_child(instance=ContentPage(
            title="Tietosuoja" if spec.language == "fi" else "Dataskydd", slug="privacy",
            union=union, locale=root.locale, intro="<p>Intro</p>",
            body="<p>Miten käsittelemme tietojasi.</p>"))


def _describe(port: int) -> list[UnionSite]:
    """The seeded unions with the URLs of each page type, read from the database."""
    from wagtail.models import Site

    from portal.agreements.models import AgreementIndexPage
    from portal.branches.models import BranchIndexPage, BulletinPage
    from portal.membercard.tokens import make_token
    from portal.pages.models import ContentPage
    from portal.people.models import Person, PositionKind, PositionOfTrust
    from portal.union.demo import DEMO_UNIONS
    from portal.union.models import Union
    from portal.workplaces.models import EmployerIndexPage

    sites = []
    for spec, host in zip(DEMO_UNIONS, HOSTS, strict=True):
        union = Union.objects.get(slug=spec.slug)
        site = Site.objects.get(pk=union.site_id)
        content = ContentPage.objects.for_union(union).get(slug="privacy")
        member = Person.objects.for_union(union).select_related("branch").get(
            user__email=f"member@{spec.slug}.example")
        employment = member.employments.select_related("workplace", "employer").get()
        agreement = employment.employer.agreements.first()
        bulletin = BulletinPage.objects.child_of(member.branch).live().first()
        # Every member may see the union's officials, e.g. a board member.
        official = PositionOfTrust.objects.for_union(union).filter(
            kind=PositionKind.UNION_BOARD_MEMBER).first().person_id

        def rel(page, site=site):
            return page.relative_url(site)

        urls = {
            "union": "/",
            "branch_index": rel(BranchIndexPage.objects.for_union(union).get()),
            "branch": rel(member.branch),
            "bulletin": rel(bulletin),
            "employer_index": rel(EmployerIndexPage.objects.for_union(union).get()),
            "employer": rel(employment.employer),
            "workplace": rel(employment.workplace),
            "agreement_index": rel(AgreementIndexPage.objects.for_union(union).get()),
            "agreement": rel(agreement),
            "content": rel(content),
            "login": "/accounts/login/",
            "profile": "/profile/",
            "card": "/card/",
            "verify": f"/card/verify/{make_token(union_id=union.pk, person_id=member.pk)}/",
            "person": f"/people/{official}/",
        }
        sites.append(UnionSite(slug=spec.slug, base=f"http://{host}:{port}", union=union,
                               urls=urls))
    return sites


def shot(page, **options) -> None:
    """A screenshot for people to look at (test-artifacts/screenshots). Not taken under
    CI, where nobody looks at them and they cost the suite's time budget, unless
    BROWSER_SCREENSHOTS=1 asks for them."""
    if os.environ.get("BROWSER_SCREENSHOTS", "0" if os.environ.get("CI") else "1") == "1":
        page.screenshot(**options)


def login(page, site: UnionSite, role: str) -> None:
    page.goto(site.base + "/accounts/login/")
    page.fill("#id_username", site.login_email(role))
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    assert "/accounts/login/" not in page.url, f"{role} could not sign in on {site.slug}"


def _serve_media(route) -> None:
    """Uploads live in the test settings' InMemoryStorage, which the live server does not
    serve (DEBUG is off): answer /media/ from it, so pages show the unions' logos."""
    from django.conf import settings
    from django.core.files.storage import default_storage

    name = unquote(urlsplit(route.request.url).path).removeprefix(settings.MEDIA_URL)
    if not default_storage.exists(name):
        route.fulfill(status=404)
        return
    with default_storage.open(name) as file:
        route.fulfill(status=200, body=file.read(),
                      content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")


def new_page(browser, size: str, language: str = "fi-FI"):
    context = browser.new_context(viewport=SIZES[size], locale=language)
    context.route(re.compile(r"^https?://[^/]+/media/"), _serve_media)
    return context, context.new_page()


def follow_by_keyboard(page, href: str, limit: int = 400) -> None:
    """Tab to the link that points to `href` and press Enter: keyboard alone."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(limit):
        page.keyboard.press("Tab")
        current = page.evaluate(
            "document.activeElement ? document.activeElement.getAttribute('href') : null")
        if current == href:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"no link to {href} reachable with Tab on {page.url}")
