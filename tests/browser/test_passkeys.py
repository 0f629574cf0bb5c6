"""Passkeys (issue 16 item 6) in Chromium with its virtual authenticator (CDP WebAuthn):
an activated member adds a passkey, signs out and back in with it, confirms a protected
action with it; a replayed answer, the same passkey on the other union's host and a
cloned counter are refused and audited; a password-only staff account is told why it
cannot add one; removing asks to confirm. The server side is py_webauthn's, unmocked."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from .helpers import WATCH_CSP, login, new_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AUTHENTICATOR = {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
                 "hasUserVerification": True, "isUserVerified": True,
                 "automaticPresenceSimulation": True}


def _session(context):
    from django.contrib.sessions.backends.db import SessionStore

    key = next(c["value"] for c in context.cookies() if c["name"] == "sessionid")
    return SessionStore(session_key=key)


def _refusals(union) -> list[str]:
    from portal.audit.models import AuditEntry

    return list(AuditEntry.objects.filter(union=union, target__startswith="passkey-refused:")
                .values_list("target", flat=True))


def test_passkey_journey(browser, union_sites, live_server):
    from portal.accounts.actions import add_role
    from portal.passkeys.models import Passkey
    from portal.union.models import Role

    site, other = union_sites  # site: http://localhost (a valid relying-party id)
    context, page = new_page(browser, "mobile")
    context.add_init_script(WATCH_CSP)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.post_data)
            if r.method == "POST" and r.url.endswith("/passkeys/signin/") else None)

    # A staff account that signed in with a password and has no activated profile.
    login(page, site, "staff")
    page.goto(site.base + "/passkeys/")
    assert page.locator("form[data-passkey=register]").count() == 0
    assert page.locator("main [role=status]").is_visible()
    page.context.clear_cookies()

    # The activated member adds a passkey.
    login(page, site, "member")
    page.goto(site.base + "/passkeys/")
    page.fill("#id_passkey_name", "Puhelin")
    with page.expect_navigation(url=re.compile(r"/passkeys/$")):
        page.click("form[data-passkey=register] button")
    assert page.locator(".passkeys__item").count() == 1
    passkey = Passkey.objects.get()
    assert passkey.rp_id == "localhost" and passkey.user.email == site.login_email("member")

    # Signs out, then in with the passkey alone (discoverable, user verified).
    page.click(".usermenu__details summary")
    with page.expect_navigation():
        page.click(".usermenu__list form button")
    page.goto(site.base + "/accounts/login/")
    with page.expect_navigation(url=re.compile(r"^[^?]*/$")):
        page.click("form[data-passkey=signin] button")
    assert page.locator("body[data-signed-in=true]").count() == 1
    assert _session(context)["auth_method"] == "passkey"

    # The same answer again, even with a fresh challenge in the session: refused.
    replay = page.evaluate("""async (body) => {
      const token = document.querySelector("[name=csrfmiddlewaretoken]").value;
      const post = (url, data) => fetch(url, {method: "POST", body: data,
        headers: {"X-CSRFToken": token, "Content-Type": "application/json"}});
      await post("/passkeys/signin/options/", "{}");
      const again = await post("/passkeys/signin/", body);
      return again.status;
    }""", posted[-1])
    assert replay == 403 and "passkey-refused:challenge" in _refusals(site.union)

    # The other union's site (on a hostname of its own) knows no such passkey.
    from wagtail.models import Site

    port = live_server.url.rsplit(":", 1)[1]
    Site.objects.filter(pk=other.union.site_id).update(hostname="norden.localhost")
    foreign = Client(HTTP_HOST=f"norden.localhost:{port}")
    assert foreign.post(reverse("passkeys:signin_options")).status_code == 200
    answer = foreign.post(reverse("passkeys:signin"), posted[-1],
                          content_type="application/json")
    assert answer.status_code == 403 and "_auth_user_id" not in foreign.session
    assert _refusals(other.union) == ["passkey-refused:unknown"]
    # ...nor removes it by id.
    foreign.force_login(other.union.users.get(email=other.login_email("member")))
    assert foreign.get(reverse("passkeys:remove", args=[passkey.pk])).status_code == 404

    # A protected action: the passkey is the second step, then the action opens.
    add_role(user=passkey.user, role=Role.ADMIN)
    keys_url = reverse("identity_admin:keys")
    with override_settings(STEPUP_ENFORCED=True):
        page.goto(site.base + keys_url)
        assert "/stepup/" in page.url
        with page.expect_navigation(url=re.compile(re.escape(keys_url) + "$")):
            page.click("form[data-passkey=stepup] button")
        assert _session(context)["stepup_method"] == "passkey"

        # A copy of the authenticator would answer with a counter already seen.
        Passkey.objects.filter(pk=passkey.pk).update(sign_count=10**6)
        page.goto(site.base + "/stepup/?next=/")
        page.click("form[data-passkey=stepup] button")
        page.locator("form[data-passkey=stepup] [data-passkey-status]").wait_for()
        assert "passkey-refused:clone" in _refusals(site.union)

    # Removing asks first; cancel keeps it, confirming removes it.
    # Each click waits for its page: a count read mid-navigation sees neither.
    page.goto(site.base + "/passkeys/")
    with page.expect_navigation(url=re.compile(r"/remove/$")):
        page.click(".passkeys__item a")
    with page.expect_navigation(url=re.compile(r"/passkeys/$")):
        page.click("main a.button--secondary")
    assert page.locator(".passkeys__item").count() == 1
    with page.expect_navigation(url=re.compile(r"/remove/$")):
        page.click(".passkeys__item a")
    with page.expect_navigation(url=re.compile(r"/passkeys/$")):
        page.click("main form button")
    assert not Passkey.objects.exists()
    assert page.evaluate("window.__csp") == []
    context.close()
