"""Custom fields and groups in Chromium (issue 15, items 3 and 4): PAL's admin defines a
choice field, sets a member's value from the person page of the people admin, filters
the people list by it, then builds an automated group of a branch and sees its members.
Every button of the screens is pressed under the admin's CSP; screenshots at both sizes."""

from __future__ import annotations

import uuid

import pytest

from .helpers import SCREENSHOTS, SIZES, WATCH_CSP, login, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _shot(page, name):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        shot(page, path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size(SIZES["desktop"])


def test_define_set_filter_and_automate(browser, union_sites, settings, elasticsearch_url):
    from portal.groups.models import Group, GroupMembership
    from portal.people.models import Person
    from search.client import drop_all, get_client
    from search.reindex import reindex

    # The branch chooser searches the main search engine (as the people admin's).
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.SEARCH_INDEX_PREFIX = f"portal-test-{uuid.uuid4().hex[:10]}"

    site = union_sites[0]
    member = Person.objects.for_union(site.union).select_related("branch").get(
        user__email=site.login_email("member"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context, page = new_page(browser, "desktop")
    context.add_init_script(WATCH_CSP)
    try:
        reindex()
        login(page, site, "admin")
        page.goto(site.base + "/admin/union-admin/custom-fields/")
        page.get_by_role("link", name="Uusi lisäkenttä").click()
        page.fill("#id_key", "shift")
        page.select_option("#id_field_type", "choice")
        page.fill("#id_label_fi", "Vuoro")
        page.fill("#id_label_sv", "Skift")
        page.fill("#id_choices_text", "night; Yö; Natt; Night\nday; Päivä; Dag; Day")
        page.check("#id_officials_see")
        _shot(page, "customfields-form")
        with page.expect_navigation():
            page.get_by_role("button", name="Tallenna").click()
        assert page.url.endswith("/admin/union-admin/custom-fields/")
        page.goto(site.base + "/admin/union-admin/custom-fields/add/")
        page.fill("#id_key", "years")
        page.select_option("#id_field_type", "number")
        page.fill("#id_label_fi", "Vuodet")
        with page.expect_navigation():
            page.get_by_role("button", name="Tallenna").click()
        # Reorder and archive/restore: every button of the list.
        for name in ("Siirrä ylös", "Siirrä alas", "Arkistoi", "Palauta"):
            with page.expect_navigation():
                page.get_by_role("button", name=name).first.click()
            if name == "Arkistoi":  # archiving asks first, on a page of its own
                _shot(page, "customfields-archive-confirm")
                with page.expect_navigation():
                    page.get_by_role("button", name=name).click()
        _shot(page, "customfields-list")

        # The member's value from their page in the people admin.
        page.goto(site.base + f"/admin/union-admin/people/{member.pk}/")
        page.get_by_role("link", name="Muokkaa lisäkenttiä").click()
        page.select_option("#id_shift", "night")
        page.fill("#id_years", "12")
        _shot(page, "customfields-person")
        with page.expect_navigation():
            page.get_by_role("button", name="Tallenna").click()
        page.goto(site.base + f"/admin/union-admin/people/{member.pk}/")
        assert page.locator("#custom-fields-heading").is_visible()
        assert "Yö" in page.locator("section[aria-labelledby=custom-fields-heading]").inner_text()

        # Filter the people list by it, and the field's own list by a range.
        page.goto(site.base + "/admin/union-admin/people/")
        page.locator(".contacts-more summary").click()
        # A choice field offers its choices; the free-text value is then not asked.
        page.select_option("#id_field", label="Vuoro: Yö")
        assert page.locator("#id_value").is_hidden()
        with page.expect_navigation():
            page.press("#id_q", "Enter")
        assert page.get_by_text(member.last_name).first.is_visible()
        assert Person.objects.for_union(site.union).count() > 1
        _shot(page, "customfields-people-list")
        page.goto(site.base + "/admin/union-admin/custom-fields/")
        page.get_by_role("link", name="Etsi henkilöt").nth(1).click()
        page.fill("#id_value", "10..20")
        with page.expect_navigation():
            page.get_by_role("button", name="Etsi", exact=True).click()
        assert page.get_by_text(member.last_name).first.is_visible()

        # An automated group of the member's branch.
        page.goto(site.base + "/admin/union-admin/groups/")
        page.get_by_role("link", name="Uusi ryhmä").click()
        page.fill("#id_name", "Osaston jäsenet")
        page.check("#id_automated")
        # The branch is found by typing (a union has up to thousands of them).
        page.fill("#id_branch", member.branch.title[:6])
        option = page.locator("#id_branch_listbox [role=option]",
                              has_text=member.branch.title).first
        option.wait_for()
        option.dispatch_event("mousedown")
        assert page.input_value("#id_branch_value") == str(member.branch_id)
        page.check("input[name=statuses][value=active]")
        _shot(page, "groups-form")
        with page.expect_navigation():
            page.get_by_role("button", name="Tallenna").click()
        group = Group.objects.get(union=site.union, name="Osaston jäsenet")
        expected = Person.objects.for_union(site.union).filter(
            branch_id=member.branch_id, membership_status="active").count()
        assert GroupMembership.objects.filter(group=group).count() == expected > 0
        page.reload()
        assert page.get_by_text(member.last_name).first.is_visible()
        with page.expect_navigation():
            page.get_by_role("button", name="Aja automaatio nyt").click()
        outsider = Person.objects.for_union(site.union).exclude(
            branch_id=member.branch_id).exclude(member_number="").first()
        page.fill("#id_who", outsider.member_number)
        with page.expect_navigation():
            page.get_by_role("button", name="Lisää ryhmään").click()
        assert GroupMembership.objects.filter(group=group, person=outsider,
                                              source="manual").exists()
        _shot(page, "groups-detail")
        # Removing and deleting ask first, on a page of their own (no JavaScript needed).
        with page.expect_navigation():
            page.get_by_role("button", name="Poista", exact=True).first.click()
        assert GroupMembership.objects.filter(group=group, person=outsider).exists()
        _shot(page, "groups-remove-confirm")
        with page.expect_navigation():
            page.get_by_role("button", name="Poista", exact=True).click()
        assert not GroupMembership.objects.filter(group=group, person=outsider).exists()
        page.get_by_role("link", name=member.last_name).first.click()  # to the person page
        assert page.url.endswith(f"/admin/union-admin/people/{member.pk}/")
        page.goto(site.base + "/admin/union-admin/groups/")
        _shot(page, "groups-list")
        page.goto(site.base + f"/admin/union-admin/groups/{group.pk}/")
        with page.expect_navigation():
            page.get_by_role("button", name="Poista ryhmä").click()
        with page.expect_navigation():
            page.get_by_role("button", name="Poista ryhmä").click()
        assert not Group.objects.filter(pk=group.pk).exists()
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()
        drop_all(get_client())
