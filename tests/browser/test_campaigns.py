"""Issue 19's journey in Chromium: staff create a campaign targeting low-density
workplaces (desktop); the workplace's shop steward opens it and its mapping, adds a
potential member there, forms a campaign team and invites a colleague (phone), who accepts
the team's terms from their activity stream and logs conversations with a colleague of the
register and with the potential member (desktop); the colleague joins the union and the key
figures and density change; the steward finds the conversation on the potential member's
mapping page (phone)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from .helpers import SCREENSHOTS, WATCH_CSP, login, new_page, shot

# Sixty-letter Finnish compounds: a campaign's and a workplace's name must wrap (hyphenated
# where the browser knows Finnish) without widening a phone's page or crushing a table.
LONG_CAMPAIGN = "Järjestäytymisasteennostokampanjasuunnittelutyöryhmäkokoelma"
LONG_WORKPLACE = "Pohjoispohjanmaansairaanhoitopiirinkuntayhtymänkeskuskeittiö"
# The heat list fits its box (figures not squeezed out of view) and the page no wider
# than the screen; the campaign's name is marked up in the union's language.
FITS = """() => {
  const table = document.querySelector('.heat-table');
  const title = document.querySelector('h1 .title-text');
  return {table: table.scrollWidth <= table.parentElement.clientWidth,
          page: document.documentElement.scrollWidth <= document.documentElement.clientWidth,
          lang: title.lang, hyphens: getComputedStyle(title).hyphens};
}"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_campaign_team_journey(browser, union_sites):
    from django.utils import timezone

    from portal.campaigns.models import Campaign, ContactEntry, TeamMember
    from portal.mapping.density import density_for
    from portal.mapping.models import PotentialMember
    from portal.people import actions as people_actions
    from portal.people.models import MembershipStatus, Person

    site = union_sites[0]
    union = site.union
    steward = Person.objects.for_union(union).get(user__email=site.login_email("steward"))
    workplace = steward.employments.get().workplace
    type(workplace).objects.filter(pk=workplace.pk).update(title=LONG_WORKPLACE,
                                                           draft_title=LONG_WORKPLACE)
    workplace.title = LONG_WORKPLACE
    demo = [site.login_email(role) for role in ("steward", "member", "chair")]
    colleague = (Person.objects.for_union(union).filter(employments__workplace=workplace)
                 .exclude(user__email__in=demo).order_by("pk").first())
    Person.objects.filter(pk=colleague.pk).update(
        membership_status=MembershipStatus.NON_MEMBER, joined_on=None)
    density = density_for(union=union, workplaces=[workplace]).workplaces[workplace.pk]
    below = min(100, math.floor(density.density * 100) + 1)  # the steward's workplace is in
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    context, page = new_page(browser, "desktop")
    context.add_init_script(WATCH_CSP)
    try:
        login(page, site, "staff")
        page.goto(site.base + "/campaigns/")
        with page.expect_navigation():
            page.locator("a[href='/campaigns/new/']").click()
        page.fill("#id_name", LONG_CAMPAIGN)
        page.fill("#id_goal", "Lisää jäseniä")
        page.check("#id_target_kind_0")
        page.fill("#id_density_below", str(below))
        with page.expect_navigation():
            page.locator("main form button[type=submit]:not([name])").click()  # not a preview
        campaign = Campaign.objects.for_union(union).get(name=LONG_CAMPAIGN)
        assert page.url.endswith(f"/campaigns/{campaign.pk}/")
        assert campaign.targets.filter(scope_id=workplace.pk).exists()
        assert page.evaluate(FITS) == {"table": True, "page": True, "lang": "fi",
                                       "hyphens": "auto"}
        shot(page, path=str(SCREENSHOTS / "campaign-long-titles-desktop.png"), full_page=True)
        assert page.locator("svg.chart[role=img]").count() >= 1
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()

    context, page = new_page(browser, "mobile")
    context.add_init_script(WATCH_CSP)
    try:
        login(page, site, "steward")
        with page.expect_navigation():
            page.locator("a.mainbar__link--campaigns").click()
        with page.expect_navigation():
            page.locator(f"a[href='/campaigns/{campaign.pk}/']").click()
        assert page.evaluate(FITS)["page"]
        shot(page, path=str(SCREENSHOTS / "campaign-long-titles-mobile.png"), full_page=True)
        # The heat list links the steward's own workplace to its mapping (the steward's
        # part of the journey, tests/browser/test_mapping.py).
        with page.expect_navigation():
            page.locator(f"a[href='/mapping/{workplace.pk}/']").click()
        assert page.url.endswith(f"/mapping/{workplace.pk}/")
        with page.expect_navigation():
            page.locator(f"a[href='/mapping/{workplace.pk}/potential/add/']").first.click()
        page.fill("#id_first_name", "Vilja")
        page.fill("#id_last_name", "Uusinen")
        page.fill("#id_phone", "040 555 0101")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        potential = PotentialMember.objects.get(workplace=workplace, first_name="Vilja")
        page.goto(f"{site.base}/campaigns/{campaign.pk}/teams/")
        page.fill("#id_name", "Tiimi")
        page.select_option("#id_workplace", str(workplace.pk))
        page.fill("#id_ends_on", (timezone.localdate() + dt.timedelta(days=60)).isoformat())
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        page.fill("#invite-q", "Demo")
        with page.expect_navigation():
            page.locator("#invite-q").press("Enter")
        chair = Person.objects.for_union(union).get(user__email=site.login_email("chair"))
        page.check(f"input[name=person][value='{chair.pk}']")
        with page.expect_navigation():
            page.locator("button[name=invite]").click()
        shot(page, path=str(SCREENSHOTS / "campaign-team-mobile.png"), full_page=True)
        member = TeamMember.objects.get(team__campaign=campaign, person=chair)
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()

    context, page = new_page(browser, "desktop")
    context.add_init_script(WATCH_CSP)
    try:
        login(page, site, "chair")
        page.goto(site.base + "/activity/")
        with page.expect_navigation():
            page.locator(f"a[href='/campaigns/invitations/{member.pk}/']").first.click()
        page.check("input[name=terms_accepted]")
        with page.expect_navigation():
            page.locator("button[name=accept]").click()
        assert page.url.endswith(f"/campaigns/{campaign.pk}/")
        page.goto(f"{site.base}/campaigns/{campaign.pk}/people/{colleague.pk}/")
        page.check("#id_channel_0")
        page.select_option("#id_outcome", "joined")
        page.fill("#id_next_step", "Tervetulokahvit")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert ContactEntry.objects.filter(campaign=campaign, person=colleague).count() == 1
        # The potential member: found on the campaign's people page, the same form.
        page.goto(f"{site.base}/campaigns/{campaign.pk}/people/")
        with page.expect_navigation():
            page.locator(f"a[href='/campaigns/{campaign.pk}/potential/{potential.pk}/']").click()
        page.check("#id_channel_2")
        page.select_option("#id_outcome", "positive")
        page.fill("#id_next_step", "Kutsu jäsenkahveille")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert "Kutsu jäsenkahveille" in page.locator("main").inner_text()
        assert ContactEntry.objects.get(campaign=campaign, potential=potential).outcome == \
            "positive"
        # The member register brings the new member.
        people_actions.save_person_changes(
            Person.objects.get(pk=colleague.pk), {"membership_status": MembershipStatus.ACTIVE,
                                                  "joined_on": timezone.localdate()},
            acting_user=None)
        page.goto(f"{site.base}/campaigns/{campaign.pk}/")
        figures = page.locator("ul.figures li strong")
        # Two people contacted (the colleague, the potential member), two conversations,
        # one new member.
        assert [figures.nth(i).inner_text() for i in (1, 2, 3)] == ["2", "2", "1"]
        row = page.locator("tbody tr", has_text=workplace.title)
        assert row.locator(".change--up").count() == 1  # density rose since the start
        shot(page, path=str(SCREENSHOTS / "campaign-figures-desktop.png"), full_page=True)
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()

    # The steward sees the conversation on the potential member's mapping page.
    context, page = new_page(browser, "mobile")
    context.add_init_script(WATCH_CSP)
    try:
        login(page, site, "steward")
        page.goto(f"{site.base}/mapping/{workplace.pk}/?status=potential&contacted=yes")
        with page.expect_navigation():
            page.locator(f"a[href='/mapping/{workplace.pk}/potential/{potential.pk}/']").click()
        assert "Kutsu jäsenkahveille" in page.locator("#contacts-heading + ul").inner_text()
        shot(page, path=str(SCREENSHOTS / "mapping-potential-contacts-mobile.png"),
             full_page=True)
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()
