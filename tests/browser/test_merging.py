"""Compare and merge in Chromium at phone width (issue 15 item 6): PAL's staff find a
duplicate among the candidates, compare the pair, take a value from the other person,
confirm the merge and undo it from the merge record; nothing breaks the CSP."""

from __future__ import annotations

import datetime as dt

import pytest

from .helpers import SCREENSHOTS, WATCH_CSP, login, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_merge_two_duplicates_and_undo_the_merge(browser, union_sites):
    from portal.people import actions as people_actions
    from portal.people.models import Person

    site = union_sites[0]
    original = Person.objects.for_union(site.union).filter(user__isnull=True).first()
    Person.objects.filter(pk=original.pk).update(birth_date=dt.date(1970, 3, 14))
    twin = people_actions.create_person(
        union=site.union, first_name=original.first_name + "x", last_name=original.last_name,
        birth_date=dt.date(1970, 3, 14), phone="040 555 1200")
    people_actions.add_training(person=twin, name="Peruskurssi", acting_user=None)
    low, high = sorted((original.pk, twin.pk))
    context, page = new_page(browser, "mobile")
    context.add_init_script(WATCH_CSP)
    try:
        login(page, site, "staff")
        page.goto(site.base + "/admin/union-admin/merging/")
        row = page.locator("tr", has=page.locator(f"a[href$='/compare/{low}/{high}/']"))
        with page.expect_navigation():
            row.locator("a.button").click()
        # Keep the original; take the twin's phone number.
        keep = "a" if low == original.pk else "b"
        other = "b" if keep == "a" else "a"
        page.locator(f"input[name=keep][value={keep}]").check()
        page.locator(f"input[name=f_phone][value={other}]").check()
        with page.expect_navigation():
            page.locator(".mg-buttons button").click()
        assert Person.objects.filter(pk=twin.pk).exists()  # only asked to confirm
        assert "040 555 1200" in page.locator(".mg-confirm").inner_text()
        with page.expect_navigation():
            page.locator("button[name=confirm]").click()
        assert "/merges/" in page.url
        assert not Person.objects.filter(pk=twin.pk).exists()
        kept = Person.objects.get(pk=original.pk)
        assert kept.phone == "040 555 1200" and kept.trainings.get().name == "Peruskurssi"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot(page, path=str(SCREENSHOTS / "merging-record-mobile.png"))
        with page.expect_navigation():
            page.locator("a[href$='/undo/']").click()
        with page.expect_navigation():
            page.locator("form.mg-confirm button[type=submit]").click()
        restored = Person.objects.get(pk=twin.pk)
        assert restored.first_name == original.first_name + "x"
        assert restored.trainings.get().name == "Peruskurssi"
        assert Person.objects.get(pk=original.pk).phone == original.phone
        assert page.locator("a[href$='/undo/']").count() == 0
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()
