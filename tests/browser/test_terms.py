"""Terms of use in Chromium (issue 16, item 4): PAL publishes terms; a member signs in,
is shown only the terms, accepts them and lands on the page they were going to, where
the profile says which version they accepted. The Content-Security-Policy blocks
nothing on the way."""

from __future__ import annotations

import pytest

from .helpers import PASSWORD, SCREENSHOTS, WATCH_CSP, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_member_accepts_the_terms_and_lands_on_their_profile(browser, union_sites):
    from portal.accounts.models import User
    from portal.terms import actions
    from portal.terms.models import TermsAcceptance

    site = union_sites[0]
    admin = User.objects.get(email=site.login_email("admin"), union=site.union)
    version = actions.create_draft(union=site.union, acting_user=admin)
    actions.update_draft(version=version, acting_user=admin, values={
        "body_fi": "<h2>Yleistä</h2><p>Palvelua käytetään liiton sääntöjen mukaan.</p>",
        "body_sv": "<h2>Allmänt</h2><p>Tjänsten används enligt förbundets stadgar.</p>"})
    version = actions.publish(version=version, acting_user=admin)
    context, page = new_page(browser, "mobile")
    context.add_init_script(WATCH_CSP)
    try:
        page.goto(site.base + "/accounts/login/?next=/profile/")
        page.fill("#id_username", site.login_email("member"))
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.press("#id_password", "Enter")
        assert "/terms/accept/" in page.url
        assert page.locator("h1").inner_text() == "Käyttöehdot"
        assert "liiton sääntöjen mukaan" in page.locator(".terms__text").inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot(page, path=str(SCREENSHOTS / "terms-accept-mobile.png"), full_page=True)
        with page.expect_navigation():
            page.get_by_role("button", name="Hyväksyn").click()
        assert page.url == site.base + "/profile/"
        assert "Olet hyväksynyt version 1" in page.locator("#terms-heading + p").inner_text()
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()
    member = User.objects.get(email=site.login_email("member"), union=site.union)
    assert TermsAcceptance.objects.filter(version=version, user=member).count() == 1
