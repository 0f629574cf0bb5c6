"""notify(): one activity item per person of the union, idempotent by source, with its
email state from the person's preference."""

import pytest

from portal.activity.models import ActivityEvent, MailState
from portal.notifications.actions import notify
from tests.factories import make_person, make_union


@pytest.mark.django_db
def test_notify_records_once_and_only_for_the_union():
    union, other = make_union("pal"), make_union("norden")
    member = make_person(union, first_name="Maija")
    foreigner = make_person(other, first_name="Olli")
    made = notify(union=union, people=[member, foreigner.pk], kind="message",
                  title="New message from Liisa", url="/discussions/1/", source="message:1")
    assert made == 1
    assert notify(union=union, people=[member], kind="message", title="again",
                  url="/discussions/1/", source="message:1") == 0
    event = ActivityEvent.objects.get(person=member)
    assert (event.kind, event.url, event.mail) == ("message", "/discussions/1/", MailState.NOW)
    assert not ActivityEvent.objects.filter(person=foreigner).exists()
    with pytest.raises(ValueError):
        notify(union=union, people=[member], kind="nonsense", title="x", url="/", source="x:1")


@pytest.mark.django_db
def test_preferences_page_and_terms_update(django_capture_on_commit_callbacks):
    from django.test import Client

    from portal.notifications.models import NotificationPreference
    from portal.terms import actions as terms_actions
    from portal.union.models import Role

    union = make_union("ntp")
    member = make_person(union, roles=(Role.MEMBER,), preferred_language="sv")
    admin = make_person(union, roles=(Role.ADMIN,))
    client = Client(HTTP_HOST="ntp.localhost")
    client.force_login(member.user)
    page = client.get("/notifications/")
    assert page.status_code == 200 and b'value="digest"' in page.content
    choices = {"message": "digest", "mention": "now", "meeting": "now", "bulletin": "now",
               "campaign": "never", "terms": "digest", "system": "digest"}
    assert client.post("/notifications/", choices).status_code == 302
    assert dict(NotificationPreference.objects.filter(person=member).values_list(
        "kind", "delivery")) == {"message": "digest", "campaign": "never"}
    assert client.post("/notifications/", {**choices, "message": "hourly"}).status_code == 200
    assert NotificationPreference.objects.get(person=member, kind="message").delivery == "digest"

    # Publishing new terms tells every account holder, in their language (terms does not
    # import notifications: the app hears the save).
    version = terms_actions.create_draft(union=union, acting_user=admin.user)
    terms_actions.update_draft(version=version, values={"body_fi": "<p>Ehdot</p>"},
                               acting_user=admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        terms_actions.publish(version=version, acting_user=admin.user)
    events = {e.person_id: e for e in ActivityEvent.objects.filter(kind="terms")}
    assert set(events) == {member.pk, admin.pk}
    from django.utils import translation

    with translation.override("sv"):  # each reader's language, whenever shown
        assert events[member.pk].shown_title == "Användarvillkoren har uppdaterats (version 1)"
    assert events[member.pk].url == "/terms/" and events[member.pk].mail == MailState.DIGEST


@pytest.mark.django_db
def test_publishing_terms_leaves_telling_everyone_to_the_task_worker(
        settings, django_capture_on_commit_callbacks):
    """Not inside the admin's publishing request: a 300,000-member union's account holders
    were hundreds of INSERT batches there, cut off by the request's timeout."""
    from django_tasks_db.models import DBTaskResult

    from portal.terms import actions as terms_actions
    from portal.union.models import Role

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    union = make_union("ntq")
    admin = make_person(union, roles=(Role.ADMIN,))
    version = terms_actions.create_draft(union=union, acting_user=admin.user)
    terms_actions.update_draft(version=version, values={"body_fi": "<p>Ehdot</p>"},
                               acting_user=admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        terms_actions.publish(version=version, acting_user=admin.user)
    assert not ActivityEvent.objects.filter(kind="terms").exists()
    assert DBTaskResult.objects.filter(
        task_path="portal.notifications.tasks.notify_terms_task").exists()
