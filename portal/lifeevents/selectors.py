"""Reads of life events: the people-list filter, the person page's section and the
milestone birthdays. Functions that return people write the audit entries for them."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access.roles import is_staff
from portal.adminpanel.links import person_admin_url
from portal.audit.log import AuditAction, record_many
from portal.people.models import Person

from .models import HouseholdLink, LifeEventSettings, StatusKind, TemporaryStatus

DECEASED = "deceased"
# Ages whose birthday is a milestone: 50, 60, … 100.
MILESTONES = tuple(range(50, 101, 10))


def status_choices() -> list[tuple[str, str]]:
    """What `filter_people` accepts: each temporary status (in force today) and the
    deceased (the people list hides them otherwise)."""
    return [*StatusKind.choices, (DECEASED, _("Deceased"))]


def filter_people(queryset: QuerySet[Person], *, union, status: str) -> QuerySet[Person]:
    """People of `union` in `queryset` with `status` today: a temporary status in force
    (the living only), or "deceased". Set-based (an EXISTS), unknown values refused."""
    queryset = queryset.filter(union=union)
    if status == DECEASED:
        return queryset.filter(deceased_on__isnull=False)
    if status not in StatusKind.values:
        raise ValidationError(_("Choose a valid status."))
    in_force = TemporaryStatus.objects.for_union(union).current().filter(
        person=OuterRef("pk"), kind=status)
    return queryset.filter(Exists(in_force), deceased_on__isnull=True)


def reminders_enabled(union) -> bool:
    return LifeEventSettings.objects.for_union(union).filter(
        chair_birthday_reminders=True).exists()


# Milestone birthdays ------------------------------------------------------------------

def _years_back(day: dt.date, years: int, *, end: bool) -> dt.date:
    """`day` so many years earlier; 29 February of a leap year counts on 28 February
    of other years (an end bound on 28 February then takes in the 29th too)."""
    year = day.year - years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    shifted = day.replace(year=year)
    if end and day.month == 2 and day.day == 28 and calendar.isleap(year) \
            and not calendar.isleap(day.year):
        return dt.date(year, 2, 29)
    return shifted


def _birthday_in(birth: dt.date, start: dt.date, end: dt.date) -> tuple[dt.date, int] | None:
    for year in range(start.year, end.year + 1):
        age = year - birth.year
        try:
            day = birth.replace(year=year)
        except ValueError:  # born on 29 February
            day = dt.date(year, 2, 28)
        if start <= day <= end:
            return day, age
    return None


@dataclass(frozen=True)
class Birthday:
    person: Person
    on: dt.date
    age: int

    @property
    def pk(self) -> int:  # the audit log's "person shown"
        return self.person.pk


def week_start(day: dt.date | None = None) -> dt.date:
    day = day or timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


def milestone_birthdays(union, *, start: dt.date, days: int = 14, branch=None) -> list[Birthday]:
    """The union's living members who turn 50, 60, 70… between `start` and `days` later,
    in birthday order. One query: a range of birth dates per milestone (an OR of at
    most a dozen ranges), so it stays an index-friendly filter at any size."""
    end = start + dt.timedelta(days=days - 1)
    ranges = Q(pk__in=[])
    for age in MILESTONES:
        ranges |= Q(birth_date__range=(_years_back(start, age, end=False),
                                       _years_back(end, age, end=True)))
    people = (Person.objects.for_union(union).members().living().filter(ranges)
              .select_related("branch"))
    if branch is not None:
        people = people.filter(branch=branch)
    found = []
    for person in people:
        hit = _birthday_in(person.birth_date, start, end)
        if hit is not None and hit[1] in MILESTONES:
            found.append(Birthday(person=person, on=hit[0], age=hit[1]))
    found.sort(key=lambda b: (b.on, b.person.last_name, b.person.first_name, b.person.pk))
    return found


# The person page's section -------------------------------------------------------------

def age_on(birth: dt.date | None, day: dt.date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def next_milestone(birth: dt.date | None, today: dt.date) -> tuple[int, dt.date] | None:
    age = age_on(birth, today)
    if age is None:
        return None
    for milestone in MILESTONES:
        if milestone > age:
            return milestone, _years_back(birth, -milestone, end=False)
    return None


def life_events_of(*, person: Person, today: dt.date | None = None) -> dict:
    """What the section and the screen show of one person (3 queries)."""
    today = today or timezone.localdate()
    statuses = list(TemporaryStatus.objects.for_union(person.union_id).filter(person=person))
    links = list(
        HouseholdLink.objects.for_union(person.union_id)
        .filter(Q(person_a=person) | Q(person_b=person))
        .select_related("person_a", "person_b")
    )
    linked = [
        {"link": link, "person": link.other(person.pk),
         "url": person_admin_url(link.other(person.pk).pk)}
        for link in links
    ]
    return {
        "person": person,
        "today": today,
        "current_statuses": [s for s in statuses if s.state(today) == "current"],
        "upcoming_statuses": [s for s in statuses if s.state(today) == "upcoming"],
        "past_statuses": [s for s in statuses if s.state(today) == "ended"][:5],
        "links": linked,
        "age": age_on(person.birth_date, person.deceased_on or today),
        "next_milestone": None if person.deceased_on else next_milestone(person.birth_date,
                                                                          today),
        "alternative_names": [n.strip() for n in person.alternative_name.split(";")
                              if n.strip()],
    }


def person_section(*, request, person: Person) -> dict | None:
    """The life-events section of the people admin's person page: staff and admins of
    the person's union only (None for anyone else). The linked people shown are
    audited here; the person themself by the page."""
    union = getattr(request, "union", None)
    if union is None or person.union_id != union.pk or not is_staff(request.user, union):
        return None
    context = life_events_of(person=person)
    record_many(actor=request.user, union=union, action=AuditAction.LIST,
                people=[row["person"] for row in context["links"]], fields=["name"],
                target=request.path)
    context["manage_url"] = reverse("lifeevents:person", args=[person.pk])
    return context
