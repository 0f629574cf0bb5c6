"""SMS step-up in Chromium: a chair sends a bulletin to the whole branch, is asked for
the code, reads it from the message that reached the (real, local) SMS gateway, enters
it, and the sending goes on."""

from __future__ import annotations

import pytest

from portal.stepup.tests.receiver import SmsReceiver

from .helpers import login, new_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def receiver(settings):
    receiver = SmsReceiver()
    settings.STEPUP_ENFORCED = True
    settings.STEPUP_SMS_BACKEND = "portal.stepup.sms.HttpApiBackend"
    settings.SMS_API_URL = receiver.url
    settings.SMS_API_TOKEN = "journey-token"  # noqa: S105
    yield receiver
    receiver.close()


def test_a_chair_confirms_a_whole_branch_sending_with_the_sms_code(browser, union_sites,
                                                                    receiver):
    from portal.accounts.models import User
    from portal.branches.actions import create_bulletin
    from portal.messaging.models import BulletinSend
    from portal.people.models import Person

    site = union_sites[0]
    chair = Person.objects.select_related("branch").get(user__email=site.login_email("chair"))
    bulletin = create_bulletin(branch=chair.branch, title="Step-up journey", body="<p>Hi</p>",
                               acting_user=User.objects.get(email=site.login_email("chair")))
    context, page = new_page(browser, "mobile")
    try:
        login(page, site, "chair")
        page.goto(site.base + f"/bulletins/{bulletin.pk}/send/")
        send = "form[method=post] button.button[type=submit][value=send]"
        with page.expect_navigation():
            page.locator(send).click()
        assert "/stepup/" in page.url
        with page.expect_navigation():
            page.locator(".stepup__send button").click()
        assert receiver.messages[-1]["authorization"] == "Bearer journey-token"
        code = receiver.last_code(chair.phone)
        page.fill("#id_code", code)
        with page.expect_navigation():
            page.locator(".stepup__verify button").click()
        assert f"/bulletins/{bulletin.pk}/send/" in page.url
        assert not BulletinSend.objects.filter(bulletin_id=bulletin.pk).exists()
        with page.expect_navigation():
            page.locator(send).click()  # the whole branch again: now the confirmation
        with page.expect_navigation():
            page.locator("form[method=post] button.button[type=submit]").first.click()
        assert "/report/" in page.url
        assert BulletinSend.objects.get(bulletin_id=bulletin.pk).whole_branch
    finally:
        context.close()
