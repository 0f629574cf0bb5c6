"""The data-quality report in Chromium at phone and desktop width: PAL's admin and
Norden's staff refresh it with the button, see the cards and charts fit the screen,
open a drill-down and follow a row to the person's page; the CSP blocks nothing."""

from __future__ import annotations

import pytest

from .helpers import SCREENSHOTS, WATCH_CSP, login, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("size", ["mobile", "desktop"])
def test_the_report_and_a_drill_down(browser, union_sites, size):
    from portal.people.models import Person

    for site, role in zip(union_sites, ("admin", "staff"), strict=False):
        member = Person.objects.for_union(site.union).get(user__email=site.login_email("member"))
        Person.objects.filter(pk=member.pk).update(phone="040 12")
        context, page = new_page(browser, size)
        context.add_init_script(WATCH_CSP)
        try:
            login(page, site, role)
            page.goto(site.base + "/admin/union-admin/data-quality/")
            with page.expect_navigation():
                page.locator(".dq-refresh button").click()
            card = page.locator(".dq-card", has=page.locator(
                "a[href='/admin/union-admin/data-quality/invalid_phones/']"))
            assert card.locator(".dq-number").inner_text() == "1"
            assert page.locator(".dq-card svg rect").count() >= 10
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shot(page, path=str(SCREENSHOTS / f"data-quality-{site.slug}-{size}.png"))
            assert page.evaluate("window.__csp") == []
            card.locator("h2 a").click()
            page.wait_for_url("**/invalid_phones/")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            shot(page,
                path=str(SCREENSHOTS / f"data-quality-phones-{site.slug}-{size}.png"))
            assert page.evaluate("window.__csp") == []
            with page.expect_navigation():
                page.get_by_role("link", name=member.full_name).click()
            assert page.url.endswith(f"/people/{member.pk}/")
        finally:
            context.close()
