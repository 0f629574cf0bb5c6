"""Strong sign-in in Chromium against the real test provider: a new member of a seeded
union, whose profile the register made in advance, clicks the button, picks the test
identity at the provider, and comes back activated and signed in."""

from __future__ import annotations

import os
import re

import pytest

from .helpers import new_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_new_member_activates_the_pre_made_profile(browser, union_sites):
    from portal.identity import keys, oidc
    from portal.identity.models import IdentityProvider
    from portal.people.actions import create_person
    from portal.people.models import Person

    issuer, token = os.environ.get("OIDC_ISSUER"), os.environ.get("OIDC_REGISTRATION_TOKEN")
    if not issuer or not token:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("OIDC_ISSUER is not set: bin/services did not start the provider")
        pytest.skip("no test OpenID provider")
    site = union_sites[0]
    provider = IdentityProvider(union=site.union, issuer=issuer, client_id="-",
                                signing_key=keys.seal(keys.generate(keys.SIGNING)),
                                encryption_key=keys.seal(keys.generate(keys.ENCRYPTION)))
    provider.client_id = oidc.register_client(
        issuer=issuer, token=token, provider=provider,
        redirect_uris=[f"{site.base}/oidc/callback/"],
        post_logout_redirect_uris=[f"{site.base}/"])
    provider.save()
    person = create_person(union=site.union, first_name="Aino", last_name="Virtanen",
                           identity_code="150385-9024")
    context, page = new_page(browser, "mobile")
    try:
        page.goto(site.base + "/accounts/login/")
        with page.expect_navigation(url=re.compile(r"/interaction/")):
            page.get_by_role("link", name="Kirjaudu vahvalla tunnistautumisella").click()
        page.check("input[name=sub][value=test-aino]")
        page.check("input[name=acr][value$=loa3]")
        with page.expect_navigation(url=re.compile(re.escape(site.base))):
            page.locator("form[action$='/login'] button[type=submit]").first.click()
        page.wait_for_load_state()
        assert "Profiilisi on nyt aktivoitu" in page.content()
        page.locator(".usermenu__details summary").click()
        assert "Kirjautunut vahvalla tunnistautumisella (taso korkea)" in (
            page.locator(".usermenu__list").inner_text())
        person = Person.objects.get(pk=person.pk)
        assert person.user is not None and person.activated_at is not None
    finally:
        context.close()
