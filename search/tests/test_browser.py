"""The results page and the top bar's suggestions by keyboard alone, with axe-core, in
Debian Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from portal.union.models import Role
from tests.browser.helpers import shot
from tests.factories import make_branch, make_employer, make_person, make_union

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: a transactional test must leave Wagtail's root page in place.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _session_cookie(user, host):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = django_settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return {"name": django_settings.SESSION_COOKIE_NAME, "value": store.session_key,
            "domain": host, "path": "/"}


def _tab_to(page, predicate_js: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        script = f"(() => {{ const el = document.activeElement; return {predicate_js}; }})()"
        if page.evaluate(script):
            return
    raise AssertionError(f"Tab never reached: {predicate_js}")


def test_search_by_keyboard_alone(browser, live_server, settings):
    settings.ELASTICSEARCH_URL = ""  # the database engine: no index to wait for
    port = int(re.search(r":(\d+)$", live_server.url).group(1))
    union = make_union("kb", hostname="localhost", port=port)
    branch = make_branch(union, "Näppäinosasto")
    make_employer(union, "Näppäin Oy")
    member = make_person(union, branch=branch, roles=(Role.MEMBER,))
    context = browser.new_context()
    context.add_cookies([_session_cookie(member.user, "localhost")])
    page = context.new_page()
    try:
        page.goto(f"http://localhost:{port}/search/")
        _tab_to(page, "el.id === 'search-q'")
        page.keyboard.type("Näppäin")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"q=N"))
        assert page.locator(".search__hit").count() == 2
        _tab_to(page, "el.tagName === 'A' && el.href.includes('kind=branch')")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"kind=branch"))
        assert page.locator(".search__hit").count() == 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot(page, path=str(SCREENSHOTS / "search-results.png"), full_page=True)
        _tab_to(page, "el.tagName === 'A' && el.closest('.search__hit') !== null")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(re.escape(branch.url_path.split("/")[-2])))
        assert "Näppäinosasto" in page.content()
    finally:
        context.close()


def test_top_bar_suggestions_by_keyboard_alone(browser, live_server, settings):
    """Type in the top bar, get suggestions grouped by type, choose one with the arrow
    keys and Enter; the open list and the results page pass axe-core (no serious or
    critical findings)."""
    from tests.browser.test_frontend import _axe_violations

    settings.ELASTICSEARCH_URL = ""
    port = int(re.search(r":(\d+)$", live_server.url).group(1))
    union = make_union("ac", hostname="localhost", port=port)
    branch = make_branch(union, "Näppäinosasto")
    make_employer(union, "Näppäin Oy")
    member = make_person(union, branch=branch, roles=(Role.MEMBER,))
    context = browser.new_context()
    context.add_cookies([_session_cookie(member.user, "localhost")])
    page = context.new_page()
    try:
        page.goto(f"http://localhost:{port}/")
        _tab_to(page, "el.id === 'main-search'")
        page.keyboard.type("Näpp")
        listbox = page.locator("#main-search-suggestions")
        listbox.locator('[role="option"]').first.wait_for()
        assert page.locator("#main-search").get_attribute("aria-expanded") == "true"
        groups = listbox.locator('[role="group"]')
        # Employers before branches (people, workplaces, employers, branches, agreements,
        # pages), each group labelled, then "all results".
        assert groups.count() == 2
        assert [groups.nth(i).locator('[role="option"]').count() for i in range(2)] == [1, 1]
        assert "Näppäin Oy" in groups.nth(0).inner_text()
        assert "Näppäinosasto" in groups.nth(1).inner_text()
        assert listbox.locator('[role="option"]').count() == 3
        assert _axe_violations(page) == []
        page.keyboard.press("ArrowDown")
        active = page.locator("#main-search").get_attribute("aria-activedescendant")
        assert page.locator(f"#{active}").inner_text().startswith("Näppäin Oy")
        page.keyboard.press("Escape")
        assert listbox.is_hidden()
        page.keyboard.press("ArrowDown")  # reopens the list
        listbox.locator('[role="option"]').first.wait_for()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(re.escape(branch.url_path.split("/")[-2])))
        assert "Näppäinosasto" in page.content()
        page.goto(f"http://localhost:{port}/search/?q=N%C3%A4pp%C3%A4in")
        assert page.locator(".search__hit").count() == 2
        assert _axe_violations(page) == []
    finally:
        context.close()
