"""The settings offer only kinds some feature sends; system messages in each reader's
language, written in the admin's form, and banners folded after the newest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from portal.activity.models import ActivityEvent
from portal.notifications import actions, kinds
from portal.notifications.models import NotificationPreference, SystemMessage
from portal.union.models import Role
from tests.factories import make_person, make_union


def _client(person, language: str) -> Client:
    client = Client(HTTP_HOST=person.union.site.hostname)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(person.user)
    return client


@pytest.mark.django_db
def test_settings_offer_only_kinds_a_feature_sends():
    union = make_union("nko")
    member = make_person(union, roles=(Role.MEMBER,))
    page = _client(member, "en").get("/notifications/")
    offered = list(page.context["form"].fields)
    assert offered == ["message", "bulletin", "campaign", "terms", "system"]
    assert b"Mention" not in page.content and b"Meeting invitation" not in page.content
    with pytest.raises(ValueError):
        kinds.register_sent("nonsense")
    # The model still holds what nothing sends yet, and notify accepts it.
    actions.set_preferences(person=member, choices={"mention": "never"},
                            acting_user=member.user)
    assert NotificationPreference.objects.get(person=member, kind="mention").delivery == "never"
    assert actions.notify(union=union, people=[member], kind="meeting", title="Kokous",
                          url="/", source="meeting:1") == 1


@pytest.mark.django_db
def test_system_message_in_each_readers_language(django_capture_on_commit_callbacks):
    union = make_union("nkl")  # default language Finnish
    admin = make_person(union, roles=(Role.ADMIN,))
    swede = make_person(union, roles=(Role.MEMBER,), preferred_language="sv")
    finn = make_person(union, roles=(Role.MEMBER,), preferred_language="fi")
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = {"roles": [], "starts_at": (now - dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}
    admin_client = _client(admin, "en")
    url = "/admin/union-admin/system-messages/"
    # The union's default language is required; the others are optional.
    refused = admin_client.post(url, {**form, "title_sv": "Underhåll"})
    assert refused.status_code == 200 and "title_fi" in refused.context["form"].errors
    assert not SystemMessage.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, {**form, "title_fi": "Huoltokatko", "body_fi": "Sunnuntaina",
                                       "title_sv": "Underhåll", "body_sv": "På söndag",
                                       "title_en": "", "body_en": "ignored"}).status_code == 302
    message = SystemMessage.objects.get()
    assert (message.language, message.title, message.translations) == (
        "fi", "Huoltokatko", {"sv": {"title": "Underhåll", "body": "På söndag"}})
    edit = admin_client.get(f"{url}{message.pk}/").content.decode()
    assert 'value="Underhåll"' in edit and 'value="Huoltokatko"' in edit

    # Banners and the message's page in the reader's language, the default otherwise.
    sv_page = _client(swede, "sv").get("/").content.decode()
    assert "Underhåll" in sv_page and "På söndag" in sv_page and "Huoltokatko" not in sv_page
    en_page = _client(finn, "en").get(f"/notifications/system/{message.pk}/").content.decode()
    assert "Huoltokatko" in en_page and "Underhåll" not in en_page
    # The activity items: each person's preferred language (the union's when none).
    titles = dict(ActivityEvent.objects.filter(source=f"system:{message.pk}")
                  .values_list("person_id", "title"))
    assert titles == {swede.pk: "Underhåll", finn.pk: "Huoltokatko", admin.pk: "Huoltokatko"}


@pytest.mark.django_db
def test_banners_show_the_newest_and_fold_the_rest():
    union = make_union("nkb")
    admin = make_person(union, roles=(Role.ADMIN,))
    member = make_person(union, roles=(Role.MEMBER,))
    now = timezone.now()
    for hours, title in ((3, "Oldest notice"), (2, "Middle notice"), (1, "Newest notice")):
        actions.create_system_message(union=union, acting_user=admin.user, values={
            "title": title, "starts_at": now - dt.timedelta(hours=hours),
            "ends_at": now + dt.timedelta(days=1)})
    page = _client(member, "en").get("/").content.decode()
    start = page.index('class="system-banners"')
    region = page[start:page.index("</details>", start)]
    newest, folded = region.split("<details", 1)
    assert "Newest notice" in newest and "Oldest notice" not in newest
    assert "2 more notices" in folded and "Middle notice" in folded and "Oldest notice" in folded
    assert folded.count('class="system-banner__close"') == 2  # each one closes on its own
    assert "<script" not in region
