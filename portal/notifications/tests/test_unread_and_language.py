"""Emails list only what is still unread, and every reader sees a notification's title
in their own language (the activity stream, the email), whoever caused it."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.utils import translation

from portal.activity.actions import mark_read as read_events
from portal.activity.models import ActivityEvent, MailState
from portal.discussions import actions as talk
from portal.messaging.tests.smtp import smtp_backend
from portal.notifications.actions import notify, set_preferences
from portal.notifications.receivers import notify_terms
from portal.notifications.sending import send_digests
from portal.people.models import PositionKind
from portal.union.models import Role
from tests.factories import appoint, make_employer, make_person, make_union, make_workplace


@pytest.fixture
def smtp(settings):
    yield from smtp_backend(settings)


def _pair(slug):
    """A Finnish-speaking union (default fi) with a Finnish-speaking shop steward and a
    Swedish-speaking member of their workplace."""
    union = make_union(slug)
    workplace = make_workplace(make_employer(union))
    steward = make_person(union, workplace=workplace, roles=(Role.MEMBER,),
                          first_name="Sirkka", preferred_language="fi")
    appoint(steward, PositionKind.SHOP_STEWARD, workplace)
    member = make_person(union, workplace=workplace, roles=(Role.MEMBER,),
                         first_name="Sven", preferred_language="sv")
    return union, steward, member


@pytest.mark.django_db
def test_digest_and_immediate_emails_leave_out_what_was_read(
        smtp, django_capture_on_commit_callbacks):
    union, steward, member = _pair("nur")
    other = make_person(union, roles=(Role.MEMBER,), first_name="Olli")
    set_preferences(person=member, choices={"message": "digest"}, acting_user=member.user)
    # The steward writes; the member reads the conversation (which reads its
    # notification) before the daily digest goes out.
    conversation = talk.start_conversation(union=union, acting_user=steward.user,
                                           recipient_ids=[member.user_id], body="Hei Sven")
    conversation.refresh_from_db()
    talk.mark_read(conversation=conversation, acting_user=member.user)
    notify(union=union, people=[member, other], kind="campaign", title="Autumn team",
           url="/campaigns/1/", source="campaign:1")
    read_events(person=other, acting_user=other.user)
    assert send_digests(union_id=union.pk) == 1
    [(to, digest)] = smtp.messages
    assert to == [member.email]  # `other` read everything: no email at all
    text = digest.get_body(("plain",)).get_content()
    assert "Autumn team" in text and "Sirkka" not in text  # the read message is left out
    # The read ones are marked, so no later digest lists them.
    states = dict(ActivityEvent.objects.filter(person=member).values_list("source", "mail"))
    assert states == {"campaign:1": MailState.SENT,
                      f"conversation:{conversation.pk}:after:0": MailState.SKIPPED}
    assert ActivityEvent.objects.get(person=other).mail == MailState.SKIPPED
    smtp.messages.clear()
    assert send_digests(union_id=union.pk) == 0 and smtp.messages == []

    # At once: an item read before its email goes out (here: in the same transaction,
    # before the sending task runs on commit) is not emailed.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(union=union, people=[other], kind="message", title="Hello", url="/",
               source="message:read-first")
        read_events(person=other, acting_user=other.user)
        notify(union=union, people=[other], kind="message", title="Hello again", url="/",
               source="message:unread")
    assert [m["Subject"] for _to, m in smtp.messages] == [f"{union.name}: Hello again"]
    assert ActivityEvent.objects.get(source="message:read-first").mail == MailState.SKIPPED


@pytest.mark.django_db
def test_titles_are_in_each_readers_language(smtp, django_capture_on_commit_callbacks):
    union, steward, member = _pair("nsv")
    # A Finnish-speaking steward's message reaches a Swedish-speaking member in Swedish.
    with translation.override("fi"), django_capture_on_commit_callbacks(execute=True):
        talk.start_conversation(union=union, acting_user=steward.user,
                                recipient_ids=[member.user_id], body="Hei")
    [(_to, email)] = smtp.messages
    assert email["Subject"] == f"{union.name}: Nytt meddelande från Sirkka Testinen"
    event = ActivityEvent.objects.get(person=member, kind="message")
    assert event.title == "Uusi viesti: Sirkka Testinen"  # the union's language

    client = Client(HTTP_HOST="nsv.localhost")
    client.force_login(member.user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "sv"
    assert "Nytt meddelande från Sirkka Testinen" in client.get("/home/").content.decode()
    assert "Nytt meddelande från Sirkka Testinen" in client.get("/activity/").content.decode()
    # Switching language later shows the same item in the new language.
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "New message from Sirkka Testinen" in client.get("/activity/").content.decode()

    # Terms updates and campaign invitations: one item each, in each reader's language;
    # entered text (a team's name) as entered.
    notify_terms(union=union, version_id=7, number=3)
    notify(union=union, people=[member, steward], kind="campaign",
           title="You are invited to the campaign team %(team)s",
           title_params={"team": "Höst <2026>"}, url="/c/", source="campaign-team:1")
    for person, language, expected in [
            (member, "sv", {"Användarvillkoren har uppdaterats (version 3)",
                            "Du har bjudits in till kampanjteamet Höst <2026>"}),
            (steward, "fi", {"Käyttöehdot päivitettiin (versio 3)",
                             "Sinut on kutsuttu kampanjatiimiin Höst <2026>"})]:
        with translation.override(language):
            assert {e.shown_title for e in ActivityEvent.objects.filter(
                person=person, kind__in=["terms", "campaign"])} == expected
    smtp.messages.clear()
    assert send_digests(union_id=union.pk) == 2
    subjects = {to[0]: m.get_body(("plain",)).get_content() for to, m in smtp.messages}
    assert "Användarvillkoren har uppdaterats (version 3)" in subjects[member.email]
    assert "Käyttöehdot päivitettiin (versio 3)" in subjects[steward.email]
