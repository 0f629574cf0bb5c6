"""The people admin in Chromium (issue 15, item 1): PAL's staff find a member by a
misspelled name (Elasticsearch's typo tolerance), narrow the list with the branch
chooser, save the filter, open the person, change their membership status and see it
saved; the Content-Security-Policy blocks nothing on the way."""

from __future__ import annotations

import uuid

import pytest

from .helpers import SCREENSHOTS, WATCH_CSP, login, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _misspelled(name: str) -> str:
    # One letter changed in the middle: a typo, not a prefix of the name.
    middle = len(name) // 2
    return name[:middle] + ("a" if name[middle] != "a" else "e") + name[middle + 1:]


def test_staff_find_a_misspelled_member_and_edit_their_membership(
        browser, union_sites, settings, elasticsearch_url):
    from portal.people.models import Person
    from search.client import drop_all, get_client
    from search.reindex import reindex

    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.SEARCH_INDEX_PREFIX = f"portal-test-{uuid.uuid4().hex[:10]}"
    site = union_sites[0]
    member = Person.objects.for_union(site.union).select_related("branch").get(
        user__email=site.login_email("member"))
    assert member.membership_status == "active" and member.branch_id
    context, page = new_page(browser, "desktop")
    context.add_init_script(WATCH_CSP)
    try:
        reindex()
        login(page, site, "staff")
        page.goto(site.base + "/admin/union-admin/people/")
        page.fill("#id_q", _misspelled(member.last_name))
        with page.expect_navigation():
            page.locator(".contacts-search button[type=submit]").click()
        link = page.locator(f"a[href='/admin/union-admin/people/{member.pk}/']")
        assert link.count() == 1
        # The branch filter is a searchable chooser (thousands of branches at scale).
        page.locator(".contacts-more summary").click()
        page.fill("#id_branch_text", member.branch.title[:6])
        option = page.locator("#id_branch_text_listbox [role=option]",
                              has_text=member.branch.title).first
        option.wait_for()
        option.dispatch_event("mousedown")
        with page.expect_navigation():
            page.locator(".contacts-actions button[type=submit]").click()
        assert f"branch={member.branch_id}" in page.url
        page.fill("#id_save_name", "Typo search")
        with page.expect_navigation():
            page.locator(".contacts-save button").click()
        assert page.locator(".contacts-saved__current").inner_text() == "Typo search"
        assert link.count() == 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot(page, path=str(SCREENSHOTS / "contacts-list.png"), full_page=True)
        with page.expect_navigation():
            link.click()
        assert page.locator("#consents-heading").is_visible()
        with page.expect_navigation():
            page.locator(f"a[href='/admin/union-admin/people/{member.pk}/edit/']").click()
        page.select_option("#id_membership_status", "on_leave")
        with page.expect_navigation():
            page.locator(".contacts-edit button[type=submit]").click()
        assert page.url.endswith(f"/admin/union-admin/people/{member.pk}/")
        assert page.locator("[data-testid=membership-status]").inner_text() == "Vapaalla"
        member.refresh_from_db()
        assert member.membership_status == "on_leave"
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()
        drop_all(get_client())
