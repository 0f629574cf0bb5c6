"""Compare and merge (issue 15 item 6): a merge moves every row pointing at the removed
person and undo puts each back exactly; refusals; the pages, their permissions, audit and
foreign ids."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.access.actions import sync_grants_for_person
from portal.access.models import PageUserObjectPermission
from portal.activity.models import ActivityEvent
from portal.audit.models import AuditEntry
from portal.campaigns.models import Campaign, CampaignTeam, ContactEntry, MemberStatus, TeamMember
from portal.customfields.models import PersonCustomValues
from portal.groups.models import Group, GroupLogEntry, GroupMembership
from portal.lifeevents.models import HouseholdLink, TemporaryStatus
from portal.mapping.models import Assessment, Placement
from portal.merging import actions, moves
from portal.merging.models import DismissedPair, MergeRecord
from portal.merging.selectors import merged_ids
from portal.messaging.models import Delivery, EmailStatus
from portal.notifications.models import NotificationPreference
from portal.people import actions as people_actions
from portal.people.models import Person, PositionKind, hash_identity_code
from portal.privacy.models import AccessExport
from portal.register.models import Conflict
from tests.factories import appoint, make_person, make_workplace

from .conftest import client_of


def _rows(*ids) -> dict:
    """Every row of every table pointing at the people: {(table, fk, row id): person}."""
    found = {}
    for model, field in moves.person_relations():
        for pk, person in model._base_manager.filter(**{f"{field.attname}__in": ids}) \
                .values_list("pk", field.attname):
            found[(model._meta.label, field.attname, pk)] = person
    return found


def _values(person_id) -> dict:
    return actions._values(Person.objects.get(pk=person_id))


def _duplicates(a, mg):
    """Kept (no account) and removed (an account, a position, rows of every kind, some
    of them duplicates of the kept person's)."""
    side = mg["a"]
    kept = make_person(side["union"], user=False, first_name="Matti", last_name="Virtanen",
                       birth_date=dt.date(1980, 5, 1), postal_code="00100", phone="")
    removed = make_person(side["union"], workplace=side["workplace"], first_name="Mati",
                          last_name="Virtanen", birth_date=dt.date(1980, 5, 1),
                          phone="040 123 4567")
    appoint(removed, PositionKind.SHOP_STEWARD, side["workplace"])
    people_actions.add_training(person=removed, name="Basics", acting_user=None)
    now, union = timezone.now(), side["union"]
    EmailStatus.objects.create(union=union, person=kept)
    EmailStatus.objects.create(union=union, person=removed, unsubscribed_at=now)
    PersonCustomValues.objects.create(union=union, person=kept, values={"size": "M"})
    PersonCustomValues.objects.create(union=union, person=removed,
                                      values={"size": "L", "shoe": 42})
    both, own = (Group.objects.create(union=union, name=name) for name in ("Both", "Own"))
    for person in (kept, removed):
        Delivery.objects.create(union=union, send=side["send"], person=person)
        ActivityEvent.objects.create(union=union, person=person, kind="other",
                                     title="Same", source="same:1", occurs_at=now)
        GroupMembership.objects.create(union=union, group=both, person=person, added_at=now)
        # Both linked with the same third person, whichever way round.
        HouseholdLink.objects.create(union=union, person_a=person, person_b=mg["a"]["other"])
    GroupMembership.objects.create(union=union, group=own, person=removed, added_at=now)
    GroupLogEntry.objects.create(union=union, group=own, person=removed, change="entered",
                                 at=now, source="manual", reason="by hand")
    HouseholdLink.objects.create(union=union, person_a=kept, person_b=removed)
    Conflict.objects.create(union=union, kind="people", key="M1", person=removed,
                            field="phone", register_changed_at=now, winner="register")
    TemporaryStatus.objects.create(union=union, person=removed, kind="student",
                                   starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2030, 1, 1))
    ActivityEvent.objects.create(union=side["union"], person=removed, kind="other",
                                 title="Own", source="own:1", occurs_at=now)
    ActivityEvent.objects.create(union=side["union"], person=removed, kind="other",
                                 title="No source", occurs_at=now)
    AccessExport.objects.create(union=union, person=removed, kind=AccessExport.Kind.OWN)
    # Organising: both placed and on the team of a second workplace (the kept person's
    # place from before their account was removed), one preference kind each has.
    mapped = make_workplace(side["employer"])
    campaign = Campaign.objects.create(union=union, name="Syksy", owner=removed,
                                       starts_on=now.date())
    team = CampaignTeam.objects.create(union=union, campaign=campaign, workplace=mapped,
                                       name="Tiimi", terms="Luottamuksellista",
                                       ends_on=now.date() + dt.timedelta(days=60))
    for person in (kept, removed):
        NotificationPreference.objects.create(union=union, person=person, kind="message",
                                              delivery="never")
        Placement.objects.create(union=union, workplace=side["workplace"], person=person)
        TeamMember.objects.create(union=union, team=team, person=person,
                                  status=MemberStatus.ACTIVE, starts_on=now.date(),
                                  ends_on=team.ends_on)
    NotificationPreference.objects.create(union=union, person=removed, kind="campaign",
                                          delivery="digest")
    Assessment.objects.create(union=union, workplace=side["workplace"], person=removed,
                              level=2, assessed_on=now.date())
    # The kept person once contacted their duplicate (no rule forbids it: history that
    # counts, moved, not dropped as a link of the two), and the removed one someone else.
    ContactEntry.objects.create(union=union, campaign=campaign, person=removed,
                                contacted_by=kept, channel="call", outcome="positive")
    ContactEntry.objects.create(union=union, campaign=campaign, person=side["other"],
                                contacted_by=removed, channel="call", outcome="positive")
    sync_grants_for_person(removed, acting_user=None)  # the team's right lent to the account
    return kept, removed, mapped


def test_a_merge_moves_every_row_and_undo_restores_them_exactly(mg):
    side = mg["a"]
    kept, removed, mapped = _duplicates(None, mg)
    account = removed.user
    before = _rows(kept.pk, removed.pk)
    kept_before, removed_before = _values(kept.pk), _values(removed.pk)
    tables = {label for label, _f, _pk in before if before[(label, _f, _pk)] == removed.pk}
    # Every table pointing at a person has a row of the removed person.
    assert tables == {model._meta.label for model, _field in moves.person_relations()}

    merge = actions.merge_people(union=side["union"], kept=kept, removed=removed,
                                 take=["phone"], acting_user=side["staff"].user)

    assert not Person.objects.filter(pk=removed.pk).exists()
    kept.refresh_from_db()
    assert kept.phone == "040 123 4567" and kept.user == account and kept.first_name == "Matti"
    after = _rows(kept.pk, removed.pk)
    assert removed.pk not in after.values()
    # The rows the kept person already had a match for are dropped, the rest moved.
    dropped = {key for key in before if key not in after}
    assert sorted(label for label, _f, _pk in dropped) == [
        "activity.ActivityEvent", "campaigns.TeamMember", "customfields.PersonCustomValues",
        "groups.GroupMembership",
        # The link of the two with each other (seen from both ends) and the removed
        # person's link to the third one, which the kept person has too.
        "lifeevents.HouseholdLink", "lifeevents.HouseholdLink", "lifeevents.HouseholdLink",
        "mapping.Placement", "messaging.Delivery", "messaging.EmailStatus",
        "notifications.NotificationPreference"]
    assert len(merge.deleted) == 10
    assert ContactEntry.objects.filter(person=kept, contacted_by=kept).count() == 1
    # One-to-one rows are merged: the kept row takes what it lacked.
    assert PersonCustomValues.objects.get(person=kept).values == {"size": "M", "shoe": 42}
    assert EmailStatus.objects.get(person=kept).unsubscribed_at is not None
    assert merge.moved_count == sum(1 for key in after if before[key] == removed.pk)
    # The account came along, with the grant of the moved shop steward position.
    # And the team's right on the mapped workplace, lent through the kept person's place.
    assert PageUserObjectPermission.objects.filter(
        user=account, content_object__in=[side["workplace"], mapped]).count() == 3
    audited = AuditEntry.objects.filter(target=f"merging:{merge.pk}")
    assert {(e.person_id, e.action) for e in audited} == {(kept.pk, "edit"),
                                                          (removed.pk, "delete")}
    # The log is append-only: the removed person's entries keep their id, which the kept
    # person's history reads through merged_ids (the people admin's test checks it shows).
    assert merged_ids(side["union"], kept.pk) == [removed.pk]

    actions.undo_merge(merge=merge, acting_user=side["staff"].user)

    assert _rows(kept.pk, removed.pk) == before
    assert PersonCustomValues.objects.get(person=kept).values == {"size": "M"}
    assert EmailStatus.objects.get(person=kept).unsubscribed_at is None
    assert _values(removed.pk) == removed_before
    restored_kept = _values(kept.pk)
    assert {k: v for k, v in restored_kept.items() if k != "updated_at"} == {
        k: v for k, v in kept_before.items() if k != "updated_at"}
    assert PageUserObjectPermission.objects.filter(user=account).exists()
    merge.refresh_from_db()
    assert merge.undone_at is not None
    with pytest.raises(ValidationError, match="already been undone"):
        actions.undo_merge(merge=merge, acting_user=side["staff"].user)


def test_undo_keeps_a_value_edited_since_the_merge(mg):
    side = mg["a"]
    kept = make_person(side["union"], user=False, first_name="Anna", phone="")
    removed = make_person(side["union"], user=False, first_name="Ana", phone="050 1")
    merge = actions.merge_people(union=side["union"], kept=kept, removed=removed,
                                 take=["phone", "member_number"], acting_user=side["staff"].user)
    Person.objects.filter(pk=kept.pk).update(phone="050 2")
    actions.undo_merge(merge=merge, acting_user=side["staff"].user)
    kept.refresh_from_db()
    # The member number goes back (it was the removed person's), the edited phone stays.
    assert kept.phone == "050 2"
    assert Person.objects.get(pk=removed.pk).member_number != kept.member_number


def test_merges_are_refused_across_unions_with_oneself_two_accounts_and_late_undo(mg):
    a, b = mg["a"], mg["b"]
    staff = a["staff"].user
    with pytest.raises(ValidationError, match="two unions"):
        actions.merge_people(union=a["union"], kept=a["other"], removed=b["other"], take=[],
                             acting_user=staff)
    with pytest.raises(ValidationError, match="themself"):
        actions.merge_people(union=a["union"], kept=a["other"], removed=a["other"], take=[],
                             acting_user=staff)
    with pytest.raises(ValidationError, match="Both people have a user account"):
        actions.merge_people(union=a["union"], kept=a["member"], removed=a["staff"], take=[],
                             acting_user=staff)
    with pytest.raises(PermissionDenied):
        actions.merge_people(union=a["union"], kept=a["other"], removed=a["member"], take=[],
                             acting_user=a["member"].user)
    with pytest.raises(PermissionDenied):  # B's staff on A's people
        actions.merge_people(union=a["union"], kept=a["other"], removed=a["member"], take=[],
                             acting_user=b["staff"].user)
    extra = make_person(a["union"], user=False, first_name="Extra")
    merge = actions.merge_people(union=a["union"], kept=a["other"], removed=extra, take=[],
                                 acting_user=staff)
    MergeRecord.objects.filter(pk=merge.pk).update(
        merged_at=timezone.now() - dt.timedelta(days=30, minutes=1))
    merge.refresh_from_db()
    with pytest.raises(ValidationError, match="more than 30 days"):
        actions.undo_merge(merge=merge, acting_user=staff)
    assert not Person.objects.filter(pk=extra.pk).exists()


def test_snapshots_are_emptied_after_the_undo_window_and_the_record_still_shows(mg):
    a = mg["a"]
    staff = a["staff"].user
    old, recent = (make_person(a["union"], user=False, first_name=name) for name in ("Old", "New"))
    merged = [actions.merge_people(union=a["union"], kept=a["other"], removed=person, take=[],
                                   acting_user=staff) for person in (old, recent)]
    MergeRecord.objects.filter(pk=merged[0].pk).update(
        merged_at=timezone.now() - dt.timedelta(days=30, minutes=1))
    assert actions.forget_expired_snapshots() == 1
    expired, kept = (MergeRecord.objects.get(pk=merge.pk) for merge in merged)
    assert expired.removed_person == [] and expired.moved == [] and expired.kept_before == {}
    assert expired.removed_name.startswith("Old")  # who was merged into whom stays
    assert kept.removed_person != []
    assert AuditEntry.objects.filter(union=a["union"], target="merging:snapshots:1").exists()
    assert actions.forget_expired_snapshots() == 0
    response = client_of(a).get(f"/admin/union-admin/merging/merges/{expired.pk}/")
    assert response.status_code == 200


def test_candidates_compare_merge_record_and_undo_pages(mg):
    side = mg["a"]
    union = side["union"]
    # Similar names and the same birth date; the same identity code; a dissimilar one.
    born = make_person(union, user=False, first_name="Liisa", last_name="Korhonen",
                       birth_date=dt.date(1975, 3, 3), postal_code="11111")
    twin = make_person(union, user=False, first_name="Lisa", last_name="Korhonen",
                       birth_date=dt.date(1975, 3, 3), postal_code="22222")
    id1 = make_person(union, user=False, first_name="Aapo", last_name="Eka")
    id2 = make_person(union, user=False, first_name="Beata", last_name="Toka")
    Person.objects.filter(pk__in=[id1.pk, id2.pk]).update(
        identity_code_hash=hash_identity_code("131052-308T"))
    client = client_of(side)
    response = client.get("/admin/union-admin/merging/")
    assert response.status_code == 200 and response["Cache-Control"].startswith("private, no-store")
    pairs = {(p.first.pk, p.second.pk): p.reason for p in response.context["page"].object_list}
    assert pairs == {(born.pk, twin.pk): "similar_birth_date",
                     (id1.pk, id2.pk): "same_identity"}
    assert AuditEntry.objects.filter(target="merging:candidates", person_id=twin.pk).exists()

    # Dismissed: not listed again.
    assert client.post(f"/admin/union-admin/merging/dismiss/{id1.pk}/{id2.pk}/").status_code == 302
    assert DismissedPair.objects.filter(union=union, first_id=id1.pk, second_id=id2.pk).exists()
    listed = client.get("/admin/union-admin/merging/").context["page"].object_list
    assert [(p.first.pk, p.second.pk) for p in listed] == [(born.pk, twin.pk)]

    url = f"/admin/union-admin/merging/compare/{born.pk}/{twin.pk}/"
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"].startswith("private, no-store")
    assert AuditEntry.objects.filter(target="merging:compare", person_id=born.pk).exists()
    # Same-named people are told apart: each choice of whom to keep carries the member
    # number, and each column and side shows member number, birth date, branch and email.
    assert dict(response.context["form"].fields["keep"].choices) == {
        "a": f"{born.full_name} ({born.member_number})",
        "b": f"{twin.full_name} ({twin.member_number})"}
    assert response.text.count('class="mg-ident"') == 4 and twin.email in response.text
    # The first submit only asks to confirm.
    form = {"keep": "a", "f_first_name": "b", "f_postal_code": "a", "f_email": "a",
            "f_member_number": "a"}
    response = client.post(url, form)
    assert response.status_code == 200 and response.context["confirming"]
    assert Person.objects.filter(pk=twin.pk).exists()
    response = client.post(url, {**form, "confirm": "1"})
    merge = MergeRecord.objects.get(union=union, kept_id=born.pk)
    assert response.status_code == 302 and response["Location"].endswith(f"/merges/{merge.pk}/")
    assert Person.objects.get(pk=born.pk).first_name == "Lisa"
    assert not Person.objects.filter(pk=twin.pk).exists()

    record_url = f"/admin/union-admin/merging/merges/{merge.pk}/"
    assert client.get(record_url).status_code == 200
    assert client.get(record_url + "undo/").status_code == 200
    assert Person.objects.get(pk=born.pk).first_name == "Lisa"  # GET only asks
    assert client.post(record_url + "undo/").status_code == 302
    assert Person.objects.get(pk=twin.pk).first_name == "Lisa"
    assert Person.objects.get(pk=born.pk).first_name == "Liisa"


def test_foreign_ids_are_404_and_members_and_foreign_sessions_are_refused(mg):
    a, b = mg["a"], mg["b"]
    extra = make_person(b["union"], user=False, first_name="Bextra")
    b_merge = actions.merge_people(union=b["union"], kept=b["other"], removed=extra, take=[],
                                   acting_user=b["staff"].user)
    client = client_of(a)
    own, foreign = a["other"].pk, b["other"].pk
    for path in (f"compare/{own}/{foreign}/", f"compare/{foreign}/{own}/",
                 f"merges/{b_merge.pk}/", f"merges/{b_merge.pk}/undo/"):
        assert client.get(f"/admin/union-admin/merging/{path}").status_code == 404, path
    assert client.post(f"/admin/union-admin/merging/dismiss/{own}/{foreign}/").status_code == 404
    assert client.post(f"/admin/union-admin/merging/merges/{b_merge.pk}/undo/").status_code == 404
    assert not DismissedPair.objects.exists()
    # A's member, and B's staff on A's hostname, get nothing.
    member = client_of(a, "member")
    assert member.get("/admin/union-admin/merging/").status_code in (302, 403)
    stranger = client_of(b)
    stranger.defaults["HTTP_HOST"] = a["host"]
    response = stranger.get(f"/admin/union-admin/merging/merges/{b_merge.pk}/")
    assert response.status_code == 302 and "login" in response["Location"]
