"""Discussions in Chromium (issue 18): a member (phone) writes to their shop steward;
the steward (desktop), already on the discussions page, sees the unread badge appear
without reloading, opens the conversation, replies and calls from it; the member's open
conversation shows the reply and the call note without reloading, and the read receipt.
The steward reaches the conversation from the "new message" item of their activity
stream (the notification's deep link). The member, who chose messages in a daily
digest, gets no email at once; the daily command's task sends the digest over real SMTP
(aiosmtpd), and its HTML's deep link opens the conversation and its one-click
unsubscribe asks first (GET), then stops message emails (POST). The
Content-Security-Policy blocks nothing on the way."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from portal.messaging.tests.smtp import smtp_backend
from portal.notifications.models import NotificationPreference

from .helpers import PASSWORD, SCREENSHOTS, WATCH_CSP, new_page, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def smtp(settings):
    """Emails go to a real SMTP server on loopback, as in portal/notifications/tests."""
    yield from smtp_backend(settings)


def _sign_in(browser, site, role, size):
    context, page = new_page(browser, size)
    context.add_init_script(WATCH_CSP)
    page.goto(site.base + "/accounts/login/?next=/discussions/")
    page.fill("#id_username", site.login_email(role))
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    return context, page


def test_member_messages_their_steward_who_replies_and_calls(browser, union_sites, smtp):
    site = union_sites[0]
    member_email = site.login_email("member")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    steward_context, steward = _sign_in(browser, site, "steward", "desktop")
    member_context, member = _sign_in(browser, site, "member", "mobile")
    try:
        badge = steward.locator(".mainbar__link--discussions .badge")
        expect(badge).to_have_count(0)
        # The member wants messages once a day, in the digest.
        member.goto(site.base + "/notifications/")
        member.check("input[name=message][value=digest]")
        with member.expect_navigation():
            member.locator("form.notification-prefs button[type=submit]").click()
        expect(member.locator("input[name=message][value=digest]")).to_be_checked()
        # The member finds their steward by name (only people they may write to are offered).
        member.goto(site.base + "/discussions/new/?q=Luottamusmies")
        member.get_by_label("Luottamusmies Demo").check()
        member.fill("#id_body", "Hei! Vuorolista muuttui, katso https://example.org/vuorot")
        with member.expect_navigation():
            member.locator("form[enctype] button[type=submit]").click()
        expect(member.locator(".msg--mine .msg__receipt")).to_have_text("Lähetetty")
        # The steward's open page polls: the badge and the list update without a reload.
        expect(badge).to_have_text("1", timeout=15_000)
        expect(steward.locator(".inbox__row--unread")).to_contain_text("Vuorolista muuttui")
        shot(steward, path=str(SCREENSHOTS / "discussions-steward-inbox-desktop.png"))
        conversation = steward.locator(".inbox__row--unread a").get_attribute("href")
        # The steward (messages at once by default) was emailed; the member nothing yet.
        assert [rcpt for rcpt, _m in smtp.messages] == [[site.login_email("steward")]]
        # The activity stream's "new message" item links straight to the conversation.
        steward.goto(site.base + "/activity/")
        notice = steward.locator(".timeline-item.unread[data-kind=message] a")
        expect(notice).to_have_attribute("href", conversation)
        with steward.expect_navigation():
            notice.click()
        expect(steward).to_have_url(site.base + conversation)
        expect(steward.locator(".thread")).to_contain_text("Vuorolista muuttui")
        link = steward.locator(".msg a[href='https://example.org/vuorot']")
        expect(link).to_have_attribute("rel", "noopener noreferrer nofollow ugc")
        expect(steward.locator("a.call__link")).to_have_attribute("href", "tel:+358400000005")
        expect(badge).to_have_count(0)
        steward.fill("#id_body", "Soitan sinulle heti.")
        with steward.expect_navigation():
            steward.locator("form.compose button[type=submit]").click()
        with steward.expect_navigation():
            steward.get_by_role("button", name="Soitin – merkitse se keskusteluun").click()
        expect(steward.locator(".msg--call")).to_contain_text("Luottamusmies Demo soitti")
        shot(steward, path=str(SCREENSHOTS / "discussions-steward-desktop.png"))
        # The member's open conversation shows the reply, the call and their receipt.
        expect(member.locator(".thread")).to_contain_text("Soitan sinulle heti.",
                                                          timeout=15_000)
        expect(member.locator(".msg--call")).to_contain_text("soitti")
        expect(member.locator(".msg--mine .msg__receipt")).to_have_text("Luettu")
        shot(member, path=str(SCREENSHOTS / "discussions-member-mobile.png"), full_page=True)
        # The phone's bottom bar carries discussions.
        expect(member.locator(".mainbar__link--discussions")).to_be_visible()
        # What the member read on the open page stays out of the digest; the steward's
        # next message arrives while the member is elsewhere, so it waits for the digest.
        member.goto(site.base + "/")
        steward.fill("#id_body", "Soitan uudelleen huomenna.")
        with steward.expect_navigation():
            steward.locator("form.compose button[type=submit]").click()
        # The daily digest, by the command's task, over SMTP: the member's only email.
        assert member_email not in {rcpt[0] for rcpt, _m in smtp.messages}
        smtp.messages.clear()
        call_command("send_notification_digests", stdout=io.StringIO())
        # (Every union's digests go; the other union's seeded people get theirs too.)
        digests = [m for rcpt, m in smtp.messages if rcpt == [member_email]]
        assert len(digests) == 1
        digest = digests[0].get_body(("html",)).get_content()
        member.set_content(digest)
        shot(member, path=str(SCREENSHOTS / "notifications-digest-mobile.png"))
        with member.expect_navigation():
            member.locator(f"a[href='{site.base}{conversation}']").first.click()
        expect(member).to_have_url(site.base + conversation)
        expect(member.locator(".thread")).to_contain_text("Soitan sinulle heti.")
        # Its one-click unsubscribe of message emails: GET asks, POST stops them.
        member.set_content(digest)
        with member.expect_navigation():
            member.get_by_role("link", name="Viesti: ei enää sähköposteja").click()
        assert not NotificationPreference.objects.filter(
            person__user__email=member_email, kind="message", delivery="never").exists()
        with member.expect_navigation():
            member.get_by_role("button", name="Peru tilaus").click()
        expect(member.locator("main")).to_contain_text("Et saa enää näitä sähköposteja: Viesti.")
        assert NotificationPreference.objects.get(
            person__user__email=member_email, kind="message").delivery == "never"
        assert member.evaluate("window.__csp") == []
        assert steward.evaluate("window.__csp") == []
    finally:
        steward_context.close()
        member_context.close()
