"""The comparison lists another app's rows in words staff read, not `str(row)`
("GroupMembership object (44)", "84: {'vuoro': 'night'}")."""

import datetime as dt

from portal.customfields.models import PersonCustomValues
from portal.groups.models import Group, GroupMembership, Source
from portal.lifeevents.models import TemporaryStatus
from portal.merging.selectors import _row_text
from portal.people.models import Person


def _fk(model):
    return model._meta.get_field("person")


def test_rows_in_words():
    membership = GroupMembership(group=Group(name="Keminmaa 30–45"), source="rule",
                                 person=Person(pk=84), added_at=dt.datetime(2026, 12, 1))
    assert _row_text(membership, _fk(GroupMembership)) == f"Keminmaa 30–45, {Source.RULE.label}"
    status = TemporaryStatus(kind="parental_leave", starts_on=dt.date(2026, 11, 1),
                             ends_on=dt.date(2027, 3, 1))
    assert "84" not in _row_text(status, _fk(TemporaryStatus))
    assert _row_text(PersonCustomValues(person_id=84, values={"vuoro": "night"}),
                     _fk(PersonCustomValues)) == ""  # counted, not shown as a dict
