"""The union admin panel's person combobox in Chromium, under the admin's CSP (issue 12,
item 17): union staff type part of a name, choose a suggestion by keyboard and appoint
the person to the council; the script is a static file, so the policy blocks nothing."""

from __future__ import annotations

import uuid

import pytest

from .helpers import SCREENSHOTS, WATCH_CSP, login, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("size", ["mobile", "desktop"])
def test_staff_appoint_a_person_by_name(browser, union_sites, size, settings, request):
    from portal.people.models import Person, PositionKind, PositionOfTrust
    from search.client import drop_all, get_client, is_enabled
    from search.reindex import reindex

    if is_enabled():
        # Indices of this test only: an index left under the worker's prefix would answer
        # later tests' searches without their people.
        settings.SEARCH_INDEX_PREFIX = f"portal-test-{uuid.uuid4().hex[:10]}"
        request.addfinalizer(lambda: drop_all(get_client()))
        reindex()
    for site in union_sites:
        person = Person.objects.for_union(site.union).get(user__email=site.login_email("member"))
        context, page = new_page(browser, size)
        context.add_init_script(WATCH_CSP)
        try:
            login(page, site, "staff")
            page.goto(site.base + "/admin/union-admin/positions/")
            page.select_option("#id_kind", PositionKind.UNION_COUNCIL_MEMBER)
            box = page.locator("#id_person")
            assert box.get_attribute("role") == "combobox"
            box.click()
            box.press_sequentially(person.last_name[:5], delay=40)
            option = page.locator("#id_person_listbox [role=option]", has_text=person.full_name)
            option.first.wait_for()
            assert box.get_attribute("aria-expanded") == "true"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shot(page, path=str(SCREENSHOTS / f"admin-appoint-{site.slug}-{size}.png"))
            # Down to the person's suggestion, then Enter chooses it (and does not submit).
            names = page.locator("#id_person_listbox [role=option] .person-combobox__name")
            index = names.all_inner_texts().index(person.full_name)
            for _ in range(index + 1):
                box.press("ArrowDown")
            assert box.get_attribute("aria-activedescendant") == f"id_person_option_{index}"
            box.press("Enter")
            assert page.input_value("#id_person_value") == str(person.pk)
            assert box.input_value() == person.full_name
            assert box.get_attribute("aria-expanded") == "false"
            page.fill("#id_starts_on", "2026-01-01")
            with page.expect_navigation():
                page.locator("form:has(#id_person) button[type=submit]").click()
            assert PositionOfTrust.objects.filter(
                person=person, kind=PositionKind.UNION_COUNCIL_MEMBER).exists()
            # No script blocked (img-src of Gravatar avatars is item 10's, not this one's).
            blocked = page.evaluate("window.__csp")
            assert [v for v in blocked if v.startswith("script-src")] == [], blocked
        finally:
            context.close()


@pytest.mark.parametrize("size", ["mobile", "desktop"])
def test_the_dashboards_profiles_heading_stands_over_its_table(browser, union_sites, size):
    """Wagtail's panel header pulls its heading left for a toggle this panel has not (it
    overlapped the side menu's edge at 1366 px) and never wraps (a long union name ran
    off a phone): the heading starts where its table starts and the page does not scroll
    sideways."""
    site = union_sites[0]
    context, page = new_page(browser, size)
    try:
        login(page, site, "staff")
        page.goto(site.base + "/admin/")
        heading = page.locator("#union-profiles-heading").bounding_box()
        table = page.locator("section[aria-labelledby=union-profiles-heading] table"
                             ).bounding_box()
        assert abs(heading["x"] - table["x"]) <= 1, (heading, table)
        assert page.evaluate("document.documentElement.scrollWidth"
                             " <= document.documentElement.clientWidth")
    finally:
        context.close()
