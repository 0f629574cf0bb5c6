"""Life events (issue 15 item 5): statuses that end by themselves, symmetric links
refused across unions, marking a person deceased (mail, messages, lists and search stop;
the record stays), alternative spellings found by search, milestone birthdays and the
chairs' reminders; every screen for the union's staff only, foreign ids 404.

One world of two unions is built once for the module; each test's writes roll back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AuditEntry
from portal.lifeevents import actions
from portal.lifeevents.models import HouseholdLink, StatusKind, TemporaryStatus
from portal.lifeevents.selectors import (
    _years_back,
    filter_people,
    life_events_of,
    milestone_birthdays,
    reminders_enabled,
    week_start,
)
from portal.people.models import Person, PositionKind
from portal.union.models import Role
from tests.factories import appoint, make_branch, make_person, make_union
from tests.shared import rolled_back

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _turning(age: int, on: dt.date) -> dt.date:
    return _years_back(on, age, end=False)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back():
        a, b = make_union("lea"), make_union("leb")
        branch, other_branch = make_branch(a), make_branch(a)
        staff = make_person(a, roles=(Role.STAFF,), first_name="Stella")
        admin = make_person(a, roles=(Role.ADMIN,), first_name="Ada")
        chair = make_person(a, branch=branch, roles=(Role.MEMBER,), first_name="Chaira")
        appoint(chair, PositionKind.BRANCH_CHAIR, branch)
        start = week_start()
        sixty = make_person(a, branch=branch, user=False, first_name="Sixten",
                            birth_date=_turning(60, start + 2 * DAY))
        leave = make_person(a, branch=branch, user=False, first_name="Leevi",
                            birth_date=_turning(43, start))
        ivan = make_person(a, branch=other_branch, user=False, first_name="Ivan",
                           last_name="Petrov")
        TemporaryStatus.objects.create(union=a, person=leave, kind=StatusKind.ON_LEAVE,
                                       starts_on=TODAY - 10 * DAY, ends_on=TODAY + DAY)
        TemporaryStatus.objects.create(union=a, person=sixty, kind=StatusKind.ON_LEAVE,
                                       starts_on=TODAY - 10 * DAY, ends_on=TODAY - DAY)
        staff_b = make_person(b, roles=(Role.STAFF,), first_name="Bertil")
        person_b = make_person(b, user=False, first_name="Berta")
        yield {"a": a, "b": b, "branch": branch, "other_branch": other_branch,
               "staff": staff, "admin": admin, "chair": chair, "sixty": sixty,
               "leave": leave, "ivan": ivan, "staff_b": staff_b, "person_b": person_b}


@pytest.fixture
def w(world, db):
    return world


def _client(union, person) -> Client:
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(person.user)
    return client


def test_filter_people_counts_statuses_in_force_today_only(w):
    a = w["a"]
    on_leave = filter_people(Person.objects.all(), union=a, status=StatusKind.ON_LEAVE)
    assert list(on_leave) == [w["leave"]]  # Sixten's leave ended yesterday, by itself
    assert not filter_people(Person.objects.for_union(w["b"]), union=a, status="on_leave")
    with pytest.raises(ValidationError):
        filter_people(Person.objects.all(), union=a, status="on_holiday")


def test_milestone_birthdays_of_this_week_and_next(w):
    found = milestone_birthdays(w["a"], start=week_start())
    assert [(b.person, b.age) for b in found] == [(w["sixty"], 60)]
    assert not milestone_birthdays(w["a"], start=week_start(), branch=w["other_branch"])
    # Born on 29 February: counted on 28 February of a common year.
    assert _years_back(dt.date(2026, 2, 28), 50, end=True) == dt.date(1976, 2, 29)
    assert _years_back(dt.date(2028, 2, 29), 50, end=False) == dt.date(1978, 2, 28)


def test_staff_add_and_end_statuses_and_link_people_on_the_screen(w):
    staff, sixty, leave = w["staff"], w["sixty"], w["leave"]
    client = _client(w["a"], staff)
    url = reverse("lifeevents:person", args=[sixty.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(person_id=sixty.pk, action="view", actor=staff.user).exists()

    bad = client.post(url, {"op": "status", "status-kind": "student",
                            "status-starts_on": "2026-05-02", "status-ends_on": "2026-05-01"})
    assert bad.status_code == 400
    assert bad.context["status_form"].errors["ends_on"]
    response = client.post(url, {"op": "status", "status-kind": "student",
                                 "status-starts_on": (TODAY - 5 * DAY).isoformat(),
                                 "status-ends_on": (TODAY + 30 * DAY).isoformat()})
    assert response.status_code == 302
    status = TemporaryStatus.objects.get(person=sixty, kind="student")
    client.post(url, {"op": "end_status", "status": status.pk})
    status.refresh_from_db()
    assert status.ends_on == TODAY - DAY and status.state() == "ended"
    later = actions.add_status(person=sixty, kind="student", starts_on=TODAY + DAY,
                               ends_on=TODAY + 9 * DAY, acting_user=staff.user)
    client.post(url, {"op": "end_status", "status": later.pk})  # never started: deleted
    assert not TemporaryStatus.objects.filter(pk=later.pk).exists()

    wrong = client.post(url, {"op": "link", "link-member_number": w["person_b"].member_number,
                              "link-kind": "couple"})
    assert wrong.status_code == 400 and wrong.context["link_form"].errors["member_number"]
    client.post(url, {"op": "link", "link-member_number": leave.member_number,
                      "link-kind": "couple"})
    # Symmetric: one row, seen from both sides; the other way round is a duplicate.
    assert [row["person"] for row in life_events_of(person=leave)["links"]] == [sixty]
    with pytest.raises(ValidationError):
        actions.link_people(person=leave, other=sixty, kind="household",
                            acting_user=staff.user)
    with pytest.raises(ValidationError):
        actions.link_people(person=sixty, other=w["person_b"], kind="couple",
                            acting_user=staff.user)
    link = HouseholdLink.objects.get()
    client.post(url, {"op": "unlink", "link": link.pk})
    assert not HouseholdLink.objects.exists()


def test_foreign_ids_and_other_roles_are_refused(w):
    a, b = w["a"], w["b"]
    staff_a = _client(a, w["staff"])
    foreign = reverse("lifeevents:person", args=[w["person_b"].pk])
    assert staff_a.get(foreign).status_code == 404
    status_b = TemporaryStatus.objects.create(union=b, person=w["person_b"], kind="student",
                                              starts_on=TODAY, ends_on=TODAY + DAY)
    own = reverse("lifeevents:person", args=[w["leave"].pk])
    assert staff_a.post(own, {"op": "end_status", "status": status_b.pk}).status_code == 404
    staff_b = _client(b, w["staff_b"])
    assert staff_b.get(reverse("lifeevents:person", args=[w["leave"].pk])).status_code == 404
    assert staff_b.get(reverse("lifeevents:birthdays")).status_code == 200
    assert w["sixty"].full_name not in staff_b.get(reverse("lifeevents:birthdays")).text
    chair = _client(a, w["chair"])
    assert chair.get(own).status_code in (302, 403)
    assert chair.get(reverse("lifeevents:birthdays")).status_code in (302, 403)
    # Only admins switch the reminders.
    refused = staff_a.post(reverse("lifeevents:birthdays"), {"chair_birthday_reminders": "on"})
    assert refused.status_code in (302, 403) and not reminders_enabled(a)
    with pytest.raises(PermissionDenied):
        actions.add_status(person=w["leave"], kind="student", starts_on=TODAY, ends_on=TODAY,
                           acting_user=w["staff_b"].user)


def test_marking_deceased_stops_mail_messages_lists_and_keeps_the_record(w):
    from portal.activity.actions import record_events
    from portal.activity.models import ActivityEvent
    from portal.messaging.audience import Audience, audience_people
    from portal.messaging.models import BulletinSend, Delivery, DeliveryStatus
    from portal.messaging.sending import _skip_newly_flagged
    from portal.people.models import PositionOfTrust
    from tests.factories import make_bulletin

    chair, branch = w["chair"], w["branch"]
    bulletin = make_bulletin(branch)
    send = BulletinSend.objects.create(union=w["a"], bulletin=bulletin,
                                       audience=Audience().to_json())
    delivery = Delivery.objects.create(union=w["a"], send=send, person=chair, email=chair.email)
    client = _client(w["a"], w["staff"])
    url = reverse("lifeevents:person", args=[chair.pk])
    unconfirmed = client.post(url, {"op": "deceased", "deceased-deceased_on": TODAY.isoformat()})
    assert unconfirmed.status_code == 400 and unconfirmed.context["deceased_form"].errors
    client.post(url, {"op": "deceased", "deceased-deceased_on": TODAY.isoformat(),
                      "deceased-confirm": "on"})
    chair.refresh_from_db()
    chair.user.refresh_from_db()
    assert chair.deceased_on == TODAY and not chair.user.is_active
    assert not PositionOfTrust.objects.filter(person=chair).current(TODAY + DAY).exists()
    assert chair not in audience_people(branch, Audience())
    assert _skip_newly_flagged(send, [delivery]) == {chair.pk}
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CANCELLED
    record_events(union=w["a"], kind="other", occurs_at=timezone.now(), source="t:1",
                  items=[(chair.pk, "Hi", ""), (w["leave"].pk, "Hi", "")])
    assert list(ActivityEvent.objects.filter(source="t:1").values_list("person", flat=True)) \
        == [w["leave"].pk]
    assert Person.objects.living().filter(pk=chair.pk).count() == 0
    assert Person.objects.filter(pk=chair.pk).exists()  # the record is kept
    assert AuditEntry.objects.filter(person_id=chair.pk, fields=["deceased_on"]).exists()
    with pytest.raises(ValidationError):
        actions.add_status(person=chair, kind="student", starts_on=TODAY, ends_on=TODAY,
                           acting_user=w["staff"].user)


def test_a_cyrillic_spelling_finds_the_person_and_the_deceased_only_for_staff(
        w, settings, elasticsearch_url):
    import uuid

    from search.client import drop_all, get_client
    from search.engine import search
    from search.reindex import reindex

    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.SEARCH_INDEX_PREFIX = f"portal-test-{uuid.uuid4().hex[:10]}"
    try:
        staff, ivan, a = w["staff"], w["ivan"], w["a"]
        client = _client(a, staff)
        client.post(reverse("lifeevents:person", args=[ivan.pk]),
                    {"op": "name", "name-alternative_name": "Иван Петров; Iwan Pietrow"})
        member = make_person(a, branch=w["other_branch"], first_name="Olli")
        appoint(member, PositionKind.BRANCH_CHAIR, w["other_branch"])
        actions.mark_deceased(person=w["leave"], deceased_on=TODAY, acting_user=staff.user)
        reindex()
        get_client().indices.refresh(index="_all")

        def people(user, query):
            return [h.object_id for h in search(user=user, union=a, query=query).hits
                    if h.kind == "person"]

        assert people(staff.user, "Петров") == [ivan.pk]
        assert people(staff.user, "Pietrow") == [ivan.pk]
        assert people(member.user, "Ivan") == [ivan.pk]  # a chair sees their branch
        assert people(staff.user, "Leevi") == [w["leave"].pk]
        appoint(member, PositionKind.BRANCH_CHAIR, w["branch"])
        reindex()
        get_client().indices.refresh(index="_all")
        assert people(member.user, "Leevi") == []
    finally:
        drop_all(get_client())


def test_chairs_are_reminded_weekly_when_the_union_wants_it(w):
    from portal.activity.models import ActivityEvent
    from portal.lifeevents.tasks import birthday_reminders_task

    assert actions.remind_chairs(union=w["a"], acting_user=None) == 0  # off by default
    admin = _client(w["a"], w["admin"])
    page = admin.get(reverse("lifeevents:birthdays"))
    assert w["sixty"].full_name in page.text
    # The branch is chosen by typing among the union's (no <select> of every branch).
    assert '<select name="branch"' not in page.text and w["other_branch"].title not in page.text
    assert 'data-search-url="/admin/union-admin/people/choices/branch/"' in page.text
    chosen = admin.get(reverse("lifeevents:birthdays"), {"branch": w["other_branch"].pk})
    assert w["sixty"].full_name not in chosen.text and w["other_branch"].title in chosen.text
    foreign = admin.get(reverse("lifeevents:birthdays"), {"branch": w["b"].root_page_id})
    assert foreign.context["form"].errors["branch"]
    admin.post(reverse("lifeevents:birthdays"), {"chair_birthday_reminders": "on"})
    with pytest.raises(PermissionDenied):  # a person acting must be the union's staff
        actions.remind_chairs(union=w["a"], acting_user=w["chair"].user)
    birthday_reminders_task.enqueue()
    birthday_reminders_task.enqueue()  # the same week again adds nothing
    event = ActivityEvent.objects.get(person=w["chair"])
    assert w["sixty"].full_name in event.title and "60" in event.title
    # The task acts as the system: its audit entries name no person as the actor.
    assert AuditEntry.objects.filter(target="lifeevents:chair-reminders", person_id=w["sixty"].pk,
                                     actor__isnull=True).exists()
