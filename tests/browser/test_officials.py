"""Issue 15, item 2 in Chromium under the admin's CSP: union staff open a workplace's
officials from the page's menu in the editor, appoint a shop steward found by name,
and the new steward signs in and saves the workplace page in the admin."""

from __future__ import annotations

import re
import uuid

import pytest

from .helpers import SCREENSHOTS, WATCH_CSP, login, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_appoint_a_steward_who_then_edits_the_workplace(browser, union_sites, settings,
                                                              request):
    from portal.people.models import Person, PositionKind, PositionOfTrust
    from portal.workplaces.models import WorkplacePage
    from search.client import drop_all, get_client, is_enabled
    from search.reindex import reindex

    if is_enabled():
        settings.SEARCH_INDEX_PREFIX = f"portal-test-{uuid.uuid4().hex[:10]}"
        request.addfinalizer(lambda: drop_all(get_client()))
        reindex()
    site = union_sites[0]
    person = Person.objects.for_union(site.union).get(user__email=site.login_email("member"))
    workplace = person.employments.get().workplace
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    context, page = new_page(browser, "desktop")
    context.add_init_script(WATCH_CSP)
    try:
        login(page, site, "staff")
        page.goto(f"{site.base}/admin/pages/{workplace.pk}/edit/")
        page.locator("header [data-w-dropdown-target='toggle']").first.click()
        with page.expect_navigation():
            page.locator(f"a[href='/admin/union-admin/officials/pages/{workplace.pk}/']").click()
        page.select_option("#id_kind", PositionKind.SHOP_STEWARD)
        box = page.locator("#id_person")
        box.click()
        box.press_sequentially(person.last_name[:5], delay=40)
        page.locator("#id_person_listbox [role=option]", has_text=person.full_name).first.click()
        assert page.input_value("#id_person_value") == str(person.pk)
        with page.expect_navigation():
            page.locator("form.officials-form button[type=submit]").click()
        row = page.locator("table.officials-table tr", has_text=person.full_name)
        assert row.count() == 1
        shot(page, path=str(SCREENSHOTS / "officials-appointed.png"))
        assert page.evaluate("window.__csp") == []
        assert PositionOfTrust.objects.filter(person=person, kind=PositionKind.SHOP_STEWARD,
                                              scope_page_id=workplace.pk).exists()
    finally:
        context.close()

    context, page = new_page(browser, "desktop")
    context.add_init_script(WATCH_CSP)
    try:
        login(page, site, "member")
        page.goto(f"{site.base}/admin/pages/{workplace.pk}/edit/")
        page.fill("#id_title", f"{workplace.title} (steward)")
        with page.expect_navigation():
            page.locator("footer button[type=submit]").first.click()
        assert re.search(rf"/admin/pages/{workplace.pk}/edit/", page.url)
        revision = WorkplacePage.objects.get(pk=workplace.pk).latest_revision
        assert revision.user_id == person.user_id
        assert revision.content["title"] == f"{workplace.title} (steward)"
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()
