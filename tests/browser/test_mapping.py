"""The shop steward's part of issue 19's journey in Chromium, on a phone: from their
workplace's page to its mapping; a new unit; a colleague placed there and assessed; a
potential member added; the filtered list and the unit's density show them."""

from __future__ import annotations

import pytest

from .helpers import SCREENSHOTS, WATCH_CSP, login, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_steward_maps_their_workplace(browser, union_sites):
    from portal.mapping.models import Assessment, Placement, PotentialMember, Unit
    from portal.people.models import Person

    site = union_sites[0]
    union = site.union
    steward = Person.objects.for_union(union).get(user__email=site.login_email("steward"))
    workplace = steward.employments.get().workplace
    colleague = (Person.objects.for_union(union).filter(employments__workplace=workplace)
                 .exclude(pk=steward.pk).order_by("last_name", "pk").first())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context, page = new_page(browser, "mobile")
    context.add_init_script(WATCH_CSP)
    try:
        login(page, site, "steward")
        page.goto(site.base + workplace.url_path[len(union.root_page.url_path) - 1:])
        with page.expect_navigation():
            page.locator(f"a[href='/mapping/{workplace.pk}/']").click()
        with page.expect_navigation():
            page.locator(f"a[href='/mapping/{workplace.pk}/structure/']").first.click()
        page.fill("#id_name", "Kassat")
        page.select_option("#id_kind", "unit")
        with page.expect_navigation():
            page.locator("form:has(#id_name) button[type=submit]").click()
        unit = Unit.objects.get(workplace=workplace, name="Kassat")

        page.goto(f"{site.base}/mapping/{workplace.pk}/people/{colleague.pk}/")
        page.select_option("#id_unit", str(unit.pk))
        with page.expect_navigation():
            page.locator("form:has(#id_unit) button[type=submit]").click()
        page.check("input[name=level][value='2']")
        page.fill("#id_note", "Puhuttu tauolla")
        with page.expect_navigation():
            page.locator("form:has(input[name=level]) button[type=submit]").click()
        assert Placement.objects.get(workplace=workplace, person=colleague).unit == unit
        latest = Assessment.objects.filter(person=colleague).latest("created_at")
        assert (latest.level, latest.assessed_by) == (2, steward.user)

        with page.expect_navigation():
            page.locator(f"a[href='/mapping/{workplace.pk}/potential/add/']").first.click()
        page.fill("#id_first_name", "Vilja")
        page.fill("#id_last_name", "Uusinen")
        page.fill("#id_phone", "040 555 0101")
        page.select_option("#id_unit", str(unit.pk))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert PotentialMember.objects.get(workplace=workplace, first_name="Vilja").unit == unit

        page.goto(f"{site.base}/mapping/{workplace.pk}/?unit={unit.pk}")
        listed = page.locator(".roster").all_inner_texts()
        assert any(colleague.last_name in text for text in listed)
        assert any("Vilja Uusinen" in text for text in listed)
        # The unit: one member of two (the colleague and the potential member).
        assert "50 %" in page.locator(".units").inner_text()
        shot(page, path=SCREENSHOTS / "mapping-steward-mobile.png", full_page=True)
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()
