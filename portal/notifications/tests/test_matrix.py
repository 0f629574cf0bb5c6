"""Notifications for every role pair across two unions (issue 18, "Done when"): member,
shop steward, branch chair, staff and union admin of union A and of union B. Each sees
only their own notifications and preferences; another person's or the other union's
items, deep links, preferences and unsubscribe links are refused and change nothing;
system messages reach only the roles of their own union, a platform-wide one every
union. One world per module; no browser."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from portal.accounts.actions import create_platform_operator
from portal.activity.actions import mark_read
from portal.activity.models import ActivityEvent
from portal.notifications import actions
from portal.notifications.email import unsubscribe_token
from portal.notifications.kinds import KINDS, Delivery
from portal.notifications.models import NotificationPreference
from portal.notifications.selectors import preferences_of
from portal.people.models import PositionKind
from portal.union.models import Role
from tests.factories import (
    appoint,
    make_branch,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)
from tests.shared import module_world

ROLES = ("member", "steward", "chair", "staff", "admin")
ACTORS = [f"{side}:{role}" for side in "ab" for role in ROLES]
DELIVERIES = [Delivery.IMMEDIATELY, Delivery.DIGEST, Delivery.NEVER]


def _side(slug):
    union = make_union(slug)
    branch = make_branch(union)
    workplace = make_workplace(make_employer(union))
    people = {
        "member": make_person(union, branch=branch, workplace=workplace, roles=(Role.MEMBER,)),
        "steward": make_person(union, branch=branch, workplace=workplace, roles=(Role.MEMBER,)),
        "chair": make_person(union, branch=branch, roles=(Role.MEMBER,)),
        "staff": make_person(union, roles=(Role.STAFF,)),
        "admin": make_person(union, roles=(Role.ADMIN,)),
    }
    appoint(people["steward"], PositionKind.SHOP_STEWARD, workplace)
    appoint(people["chair"], PositionKind.BRANCH_CHAIR, branch)
    return union, people


def _build():
    unions, people = {}, {}
    for side, slug in (("a", "nma"), ("b", "nmb")):
        unions[side], by_role = _side(slug)
        people.update({f"{side}:{role}": person for role, person in by_role.items()})
    for number, (key, person) in enumerate(people.items()):
        # Everyone's own item, and choices no one else has (base-3 digits of a number).
        actions.notify(union=person.union, people=[person], kind="mention",
                       title=f"Only for {key}", url="/activity/", source=f"own:{key}")
        choice = number + 5
        actions.set_preferences(person=person, acting_user=person.user, choices={
            kind: DELIVERIES[choice // 3 ** j % 3] for j, kind in enumerate(KINDS)})
    now = timezone.now()
    window = {"starts_at": now - dt.timedelta(minutes=1), "ends_at": now + dt.timedelta(days=1)}
    operator = create_platform_operator(email="op@nm.example")
    messages = {
        "a-staff": actions.create_system_message(
            union=unions["a"], acting_user=people["a:admin"].user,
            values={"title": "A staff only", "roles": [Role.STAFF], **window}),
        "a-officials": actions.create_system_message(
            union=unions["a"], acting_user=people["a:admin"].user,
            values={"title": "A officials only", "roles": [Role.OFFICIAL], **window}),
        "b-all": actions.create_system_message(
            union=unions["b"], acting_user=people["b:admin"].user,
            values={"title": "All of B", "roles": [], **window}),
        "platform": actions.create_system_message(
            union=None, acting_user=operator, values={"title": "Everyone", "roles": [], **window}),
    }
    for message in messages.values():  # what the task does after the commit
        actions.announce(message)
    return {"unions": unions, "people": people, "messages": messages}


world_rows, world = module_world(_build)

# Who each system message is for.
RECIPIENTS = {
    "a-staff": {"a:staff"},
    "a-officials": {"a:steward", "a:chair"},
    "b-all": {f"b:{role}" for role in ROLES},
    "platform": set(ACTORS),
}


def _client(world, key, side=None):
    person = world["people"][key]
    client = Client(HTTP_HOST=world["unions"][side or key[0]].site.hostname)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(person.user)
    return client


def _state():
    """Everything the refused requests must leave as it was."""
    return (sorted(ActivityEvent.objects.values_list("pk", "read_at", "mail")),
            sorted(NotificationPreference.objects.values_list("person_id", "kind", "delivery")))


def test_system_messages_reach_only_their_roles_and_union(world):
    names = {person.pk: key for key, person in world["people"].items()}
    for name, message in world["messages"].items():
        told = ActivityEvent.objects.filter(source=f"system:{message.pk}").values_list(
            "person_id", "union_id")
        assert {names[pk] for pk, _union in told} == RECIPIENTS[name], name
        # Each item in its reader's own union (a platform message: one per union).
        assert all(world["people"][names[pk]].union_id == union for pk, union in told)


@pytest.mark.parametrize("actor", ACTORS)
def test_each_sees_and_changes_only_their_own(world, actor):
    me = world["people"][actor]
    client = _client(world, actor)
    stream = client.get("/activity/").content.decode()
    assert f"Only for {actor}" in stream
    assert not [key for key in ACTORS if key != actor and f"Only for {key}<" in stream]
    shown = {name for name, message in world["messages"].items() if message.title in stream}
    assert shown == {name for name, keys in RECIPIENTS.items() if actor in keys}
    # The system messages' deep links: theirs open, everyone else's are 404.
    for name, message in world["messages"].items():
        status = client.get(f"/notifications/system/{message.pk}/").status_code
        assert status == (200 if actor in RECIPIENTS[name] else 404), name
    # Their own preferences, whatever the request names.
    victim = world["people"]["a:member" if actor != "a:member" else "b:admin"]
    page = client.get("/notifications/", {"person": victim.pk})
    assert page.context["form"].preferences == preferences_of(me)
    before = preferences_of(victim)
    assert client.post("/notifications/", {"person": victim.pk, "id": victim.pk,
                                           **dict.fromkeys(KINDS, "never")}).status_code == 302
    assert {p.delivery for p in preferences_of(me)} == {Delivery.NEVER}
    assert preferences_of(victim) == before
    # Marking all read marks only their own.
    unread_elsewhere = ActivityEvent.objects.exclude(person=me).filter(read_at__isnull=True)
    count = unread_elsewhere.count()
    client.post("/activity/")
    assert unread_elsewhere.count() == count
    assert not ActivityEvent.objects.filter(person=me, read_at__isnull=True).exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_other_peoples_and_the_other_unions_are_refused(world, actor):
    me, other_side = world["people"][actor], "b" if actor[0] == "a" else "a"
    mine = world["unions"][actor[0]]
    same_union = [k for k in ACTORS if k[0] == actor[0] and k != actor]
    victims = [world["people"][same_union[0]], world["people"][f"{other_side}:member"]]
    before = _state()
    client = _client(world, actor)
    # The session on the other union's site is nobody's there.
    away = _client(world, actor, side=other_side)
    for url in ("/activity/", "/notifications/"):
        assert away.get(url).status_code == 302  # to the sign-in
        assert away.post(url, dict.fromkeys(KINDS, "never")).status_code == 302
    for victim in victims:
        # The writes refuse anyone but the person themself.
        with pytest.raises(PermissionDenied):
            mark_read(person=victim, acting_user=me.user)
        with pytest.raises(PermissionDenied):
            actions.set_preferences(person=victim, acting_user=me.user,
                                    choices={"message": "never"})
        # One-click unsubscribe: a link forged for someone (not signed by the server),
        # or another union's genuine link on this site, is a 404.
        forged = signing.dumps([mine.pk, victim.pk, "message"], salt="forged", compress=True)
        genuine = unsubscribe_token(union_id=victim.union_id, person_id=victim.pk,
                                    kind="message")
        assert client.post(f"/notifications/unsubscribe/{forged}/").status_code == 404
        if victim.union_id != mine.pk:
            assert client.post(f"/notifications/unsubscribe/{genuine}/").status_code == 404
    # Closing a banner that is not theirs: 404.
    for name, message in world["messages"].items():
        if actor not in RECIPIENTS[name]:
            assert client.post(f"/notifications/system/{message.pk}/dismiss/").status_code == 404
    # Only the union's admin writes its system messages, nobody another union's.
    values = {"title": "x", "starts_at": timezone.now(),
              "ends_at": timezone.now() + dt.timedelta(hours=1)}
    for union in (world["unions"][other_side], None):
        with pytest.raises(PermissionDenied):
            actions.create_system_message(union=union, acting_user=me.user, values=values)
    foreign = world["messages"][f"{other_side}-all" if other_side == "b" else "a-staff"]
    listing = client.get(f"/admin/union-admin/system-messages/{foreign.pk}/")
    assert listing.status_code in (302, 403, 404)
    assert _state() == before
