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
