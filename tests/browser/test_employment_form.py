"""The employment form in Chromium: employer and workplace picked by typing (comboboxes
of people/employment_form.js), and the same without JavaScript (Search buttons)."""

from __future__ import annotations

import pytest

from .helpers import login, new_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _target(site):
    """An employer of the union with a workplace, other than the member's own."""
    from portal.people.models import Person
    from portal.workplaces.models import WorkplacePage

    member = Person.objects.for_union(site.union).get(user__email=site.login_email("member"))
    own = set(member.employments.values_list("employer_id", flat=True))
    workplace = (WorkplacePage.objects.for_union(site.union).live()
                 .exclude(employer_id__in=own).select_related("employer").first())
    return member, workplace.employer, workplace


def test_a_member_picks_employer_and_workplace_by_typing(browser, union_sites, settings):
    from portal.people.models import Employment

    settings.ELASTICSEARCH_URL = ""  # the database engine: no index to wait for

    site = union_sites[0]
    member, employer, workplace = _target(site)
    context, page = new_page(browser, "mobile")
    try:
        login(page, site, "member")
        page.goto(site.base + "/profile/employments/add/")
        assert page.locator("select").count() == 0
        employer_box = page.get_by_role("combobox", name=employer_label(page))
        employer_box.click()
        employer_box.press_sequentially(employer.title[:6], delay=40)
        option = page.get_by_role("option", name=employer.title, exact=False).first
        option.wait_for()
        # Keyboard: down to the employer's option, Enter chooses it.
        for _ in range(10):
            page.keyboard.press("ArrowDown")
            active = page.evaluate(
                "document.getElementById(document.activeElement"
                ".getAttribute('aria-activedescendant') || '')?.dataset.id")
            if active == str(employer.pk):
                break
        page.keyboard.press("Enter")
        assert employer_box.input_value() == employer.title
        workplace_box = page.locator("#workplace-search")
        workplace_box.click()
        typed = workplace.title.split(",")[-1].strip()[:4] or workplace.title[:4]
        workplace_box.press_sequentially(typed, delay=40)
        page.locator(f'#workplace-options [data-id="{workplace.pk}"]').click()
        assert workplace_box.input_value() == workplace.title
        page.fill("#id_title", "Kokeilija")
        with page.expect_navigation():
            page.get_by_role("button", name=save_label(page)).click()
        assert "/profile/" in page.url
        job = Employment.objects.get(person=member, title="Kokeilija")
        assert (job.employer_id, job.workplace_id) == (employer.pk, workplace.pk)
    finally:
        context.close()


def test_without_javascript_the_search_buttons_work(browser, union_sites, settings):
    from portal.people.models import Employment

    settings.ELASTICSEARCH_URL = ""

    site = union_sites[1]
    member, employer, workplace = _target(site)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, site, "member")
        page.goto(site.base + "/profile/employments/add/")
        page.fill("#employer-search", employer.title[:6])
        with page.expect_navigation():
            page.click('button[name="find"][value="employer"]')
        page.check(f'input[name="employer"][value="{employer.pk}"]')
        with page.expect_navigation():
            page.click('button[name="find"][value="workplace"]')
        page.check(f'input[name="workplace"][value="{workplace.pk}"]')
        with page.expect_navigation():
            page.click('button[name="save"]')
        job = Employment.objects.get(person=member, employer=employer)
        assert job.workplace_id == workplace.pk
    finally:
        context.close()


def employer_label(page) -> str:
    return page.locator('label[for="employer-search"]').inner_text().strip()


def save_label(page) -> str:
    return page.locator('button[name="save"]').inner_text().strip()
