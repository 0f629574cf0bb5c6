"""The sync conflicts list in Chromium on a phone: each conflict stacks as a card with
every column's name, like the union panel's other tables, instead of a six-column table
that ran off the screen (found on a walk through the demo at 390 px)."""

from __future__ import annotations

import pytest

from .helpers import SCREENSHOTS, login, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_conflicts_fit_a_phone(browser, union_sites):
    from django.utils import timezone

    from portal.people.models import Person
    from portal.register.models import Conflict

    site = union_sites[0]
    member = Person.objects.for_union(site.union).get(user__email=site.login_email("member"))
    Conflict.objects.create(
        union=site.union, kind="people", key=member.member_number, person=member,
        field="phone", portal_value="+358 40 123 4567", portal_changed_at=timezone.now(),
        register_value="+358 50 999 8888", register_changed_at=timezone.now(),
        winner="register")
    context, page = new_page(browser, "mobile")
    try:
        login(page, site, "staff")
        page.goto(site.base + "/admin/union-admin/register/conflicts/")
        table = page.locator("main table")
        assert table.locator("tbody td").first.is_visible()
        assert page.evaluate("""() => { const t = document.querySelector('main table');
            return t.scrollWidth <= t.parentElement.clientWidth; }""")
        kept = table.locator("tbody td").last
        assert kept.is_visible() and kept.get_attribute("data-label")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot(page, path=str(SCREENSHOTS / f"sync-conflicts-{site.slug}-mobile.png"))
    finally:
        context.close()
