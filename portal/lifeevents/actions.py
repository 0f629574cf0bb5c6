"""All writes of life events: temporary statuses, couple/household links, alternative
spellings, marking a person deceased, the union's reminder setting. Staff and admins of
the person's union only; each write is audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access.roles import is_admin, is_staff
from portal.audit.log import AuditAction, record
from portal.people import actions as people_actions
from portal.people.models import Person, PositionOfTrust
from portal.union.models import UnionSettings
from search import outbox as search_outbox

from .models import HouseholdLink, LifeEventSettings, TemporaryStatus


def _require_staff(acting_user, union) -> None:
    if acting_user is None or not is_staff(acting_user, union):
        raise PermissionDenied


@transaction.atomic
def add_status(*, person: Person, kind: str, starts_on: dt.date, ends_on: dt.date,
               note: str = "", acting_user) -> TemporaryStatus:
    _require_staff(acting_user, person.union)
    if person.deceased_on is not None:
        raise ValidationError(_("The person is marked deceased."))
    if ends_on < starts_on:
        raise ValidationError(_("A status cannot end before it starts."))
    status = TemporaryStatus(union_id=person.union_id, person=person, kind=kind,
                             starts_on=starts_on, ends_on=ends_on, note=note.strip(),
                             created_by=acting_user)
    status.full_clean()
    overlapping = TemporaryStatus.objects.filter(person=person, kind=kind,
                                                 starts_on__lte=ends_on, ends_on__gte=starts_on)
    if overlapping.exists():
        raise ValidationError(_("The person already has this status for some of these days."))
    status.save()
    record(actor=acting_user, union=person.union, action=AuditAction.CREATE, person=person,
           target=f"status:{status.pk}", fields=["temporary_status"])
    return status


@transaction.atomic
def end_status(*, status: TemporaryStatus, acting_user, on: dt.date | None = None) -> bool:
    """End a status yesterday (it is no longer in force today); one that has not started
    yet is deleted, as it never was. Returns False if it had ended already."""
    person = status.person
    _require_staff(acting_user, person.union)
    today = timezone.localdate()
    on = on or today - dt.timedelta(days=1)
    if status.ends_on <= on:
        return False
    if status.starts_on > on:
        pk = status.pk
        status.delete()
        record(actor=acting_user, union=person.union, action=AuditAction.DELETE, person=person,
               target=f"status:{pk}", fields=["temporary_status"])
        return True
    status.ends_on = on
    status.save(update_fields=["ends_on"])
    record(actor=acting_user, union=person.union, action=AuditAction.EDIT, person=person,
           target=f"status:{status.pk}", fields=["temporary_status"])
    return True


@transaction.atomic
def link_people(*, person: Person, other: Person, kind: str, acting_user) -> HouseholdLink:
    """Link two people of the same union (symmetric: one row, seen from both sides)."""
    _require_staff(acting_user, person.union)
    if other.union_id != person.union_id:
        raise ValidationError(_("The other person belongs to another union."))
    if other.pk == person.pk:
        raise ValidationError(_("A person cannot be linked to themself."))
    link = HouseholdLink(union_id=person.union_id, person_a=person, person_b=other, kind=kind)
    link.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as error:
        raise ValidationError(_("These two people are linked already.")) from error
    for one in (person, other):
        record(actor=acting_user, union=person.union, action=AuditAction.CREATE, person=one,
               target=f"household:{link.pk}", fields=["household"])
    return link


@transaction.atomic
def unlink_people(*, link: HouseholdLink, acting_user) -> None:
    _require_staff(acting_user, link.union)
    people = (link.person_a_id, link.person_b_id)
    pk = link.pk
    link.delete()
    for person_id in people:
        record(actor=acting_user, union=link.union, action=AuditAction.DELETE, person=person_id,
               target=f"household:{pk}", fields=["household"])


@transaction.atomic
def set_alternative_name(*, person: Person, value: str, acting_user) -> bool:
    """Alternative spellings (several separated by semicolons); searched by staff. When
    the register owns people data one way, only the register changes them."""
    _require_staff(acting_user, person.union)
    if UnionSettings.for_union(person.union).register_one_way("people"):
        raise ValidationError(_("The member register owns this field; change it there."))
    return bool(people_actions.save_person_changes(
        person, {"alternative_name": value.strip()}, acting_user=acting_user))


@transaction.atomic
def mark_deceased(*, person: Person, deceased_on: dt.date, acting_user) -> Person:
    """Mark a person deceased. The record is kept as the law requires; what stops:
    mail and messages (the bulletin audience, queued deliveries and activity items
    skip the deceased), people lists, their positions of trust (ended on the day),
    and their account (deactivated, so no sign-in and no account emails)."""
    _require_staff(acting_user, person.union)
    if person.deceased_on is not None:
        raise ValidationError(_("The person is marked deceased already."))
    if deceased_on > timezone.localdate():
        raise ValidationError(_("The date of death cannot be in the future."))
    if person.birth_date and deceased_on < person.birth_date:
        raise ValidationError(_("The date of death cannot be before the date of birth."))
    person.deceased_on = deceased_on
    person.save(update_fields=["deceased_on", "updated_at"])
    record(actor=acting_user, union=person.union, action=AuditAction.EDIT, person=person,
           fields=["deceased_on"])
    today = timezone.localdate()
    not_ended = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    for position in PositionOfTrust.objects.filter(not_ended, person=person):
        if position.starts_on > today:
            people_actions.cancel_position(position=position, acting_user=acting_user)
        else:
            people_actions.end_position(
                position=position, ends_on=max(position.starts_on, deceased_on),
                acting_user=acting_user)
    if person.user_id and person.user.is_active:
        user = person.user
        user.is_active = False
        user.save(update_fields=["is_active"])
        record(actor=acting_user, union=person.union, action=AuditAction.REVOKE,
               person=person, target=f"user:{user.pk}", fields=["is_active"])
    search_outbox.enqueue(person)
    return person


@transaction.atomic
def clear_deceased(*, person: Person, acting_user) -> Person:
    """Undo a mistaken marking. Ended positions and the deactivated account stay as
    they are (an admin reactivates the account if it is wanted)."""
    _require_staff(acting_user, person.union)
    if person.deceased_on is None:
        return person
    person.deceased_on = None
    person.save(update_fields=["deceased_on", "updated_at"])
    record(actor=acting_user, union=person.union, action=AuditAction.EDIT, person=person,
           fields=["deceased_on"])
    search_outbox.enqueue(person)
    return person


@transaction.atomic
def set_reminders(*, union, enabled: bool, acting_user) -> LifeEventSettings:
    """Union admins switch the branch chairs' milestone-birthday reminders on or off."""
    if acting_user is None or not is_admin(acting_user, union):
        raise PermissionDenied
    settings, _created = LifeEventSettings.objects.get_or_create(union=union)
    if settings.chair_birthday_reminders != enabled:
        settings.chair_birthday_reminders = enabled
        settings.save(update_fields=["chair_birthday_reminders"])
        record(actor=acting_user, union=union, action=AuditAction.EDIT,
               target="lifeevents:settings", fields=["chair_birthday_reminders"])
    return settings


def remind_chairs(*, union, acting_user, start: dt.date | None = None) -> int:
    """Each current branch chair gets an activity item per member of their branch who
    turns 50, 60, 70… in the week from `start` (this week's Monday). Only when the union
    has switched reminders on. Idempotent: an item's source names the person and the
    year, and the activity stream adds one item per source and chair. `acting_user`:
    None is the system (the weekly task), as in the other scheduled actions; a person
    acting must be staff of the union."""
    from django.urls import reverse
    from django.utils import formats, translation

    from portal.activity.actions import record_events
    from portal.activity.models import ActivityKind
    from portal.audit.log import record_many
    from portal.people.models import PositionKind

    from .selectors import milestone_birthdays, reminders_enabled, week_start

    if acting_user is not None:
        _require_staff(acting_user, union)
    if not reminders_enabled(union):
        return 0
    start = start or week_start()
    by_branch: dict[int, list] = {}
    for birthday in milestone_birthdays(union, start=start, days=7):
        if birthday.person.branch_id:
            by_branch.setdefault(birthday.person.branch_id, []).append(birthday)
    chairs: dict[int, list[Person]] = {}
    for position in (PositionOfTrust.objects.for_union(union).current(start)
                     .filter(kind=PositionKind.BRANCH_CHAIR, scope_page_id__in=list(by_branch),
                             person__deceased_on__isnull=True).select_related("person")):
        chairs.setdefault(position.scope_page_id, []).append(position.person)
    created = 0
    reminded = []
    for branch_id, birthdays in by_branch.items():
        for birthday in birthdays:
            items = []
            for chair in chairs.get(branch_id, []):
                if chair.pk == birthday.person.pk:
                    continue
                with translation.override(chair.preferred_language):
                    title = _("%(name)s turns %(age)s on %(date)s") % {
                        "name": birthday.person.full_name, "age": birthday.age,
                        "date": formats.date_format(birthday.on, "SHORT_DATE_FORMAT")}
                items.append((chair.pk, title,
                              reverse("people:person_detail", args=[birthday.person.pk])))
            if not items:
                continue
            occurs_at = timezone.make_aware(dt.datetime.combine(birthday.on, dt.time(9)))
            created += record_events(union=union, kind=ActivityKind.OTHER, occurs_at=occurs_at,
                                     source=f"birthday:{birthday.person.pk}:{birthday.on.year}",
                                     items=items, acting_user=acting_user)
            reminded.append(birthday.person)
    record_many(actor=acting_user, union=union, action=AuditAction.LIST, people=reminded,
                fields=["name", "birth_date"], target="lifeevents:chair-reminders")
    return created
