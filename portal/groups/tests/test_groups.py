"""Groups: nested groups, manual members, automations kept in step set-based with a log of
who entered and left and why, refusals of another union's objects, and the admin
screens scoped to the union."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from portal.audit.models import AuditEntry
from portal.customfields import actions as custom_actions
from portal.customfields.models import FieldType
from portal.groups import actions, rules, selectors
from portal.groups.evaluation import evaluate_group
from portal.groups.models import Group, GroupLogEntry, GroupMembership, PendingEvaluation
from portal.people.models import Person
from portal.union.models import Role
from tests.factories import make_branch, make_person, make_union
from tests.shared import rolled_back


def _born(age: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - age) - dt.timedelta(days=10)


def _world(slug: str) -> dict:
    union = make_union(slug)
    branch, other_branch = make_branch(union), make_branch(union)
    staff = make_person(union, roles=(Role.STAFF,), first_name="Staff")
    people = {
        "old": make_person(union, branch=branch, user=False, first_name="Old",
                           birth_date=_born(62)),
        "young": make_person(union, branch=branch, user=False, first_name="Young",
                             birth_date=_born(30)),
        "elsewhere": make_person(union, branch=other_branch, user=False,
                                 first_name="Elsewhere", birth_date=_born(61)),
        "unknown": make_person(union, branch=branch, user=False, first_name="Unknown"),
    }
    field = custom_actions.define_field(union=union, key="shift", acting_user=None,
                                        field_type=FieldType.TEXT, label_fi="Vuoro")
    parent = actions.create_group(union=union, name="Seniors", acting_user=staff.user)
    child = actions.create_group(union=union, name="Manual", parent=parent,
                                 acting_user=staff.user)
    return {"union": union, "host": union.site.hostname, "branch": branch, "staff": staff,
            "people": people, "field": field, "parent": parent, "child": child}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back():
        yield {"a": _world("gra"), "b": _world("grb")}


@pytest.fixture
def w(world, db):
    return world


def _names(group):
    return {m.person.first_name for m in selectors.members(group)}


def test_an_automation_keeps_members_in_step_and_logs_why(w):
    a = w["a"]
    staff = a["staff"].user
    group = a["parent"]
    actions.update_group(group=group, acting_user=staff, values={"rule": {"conditions": [
        {"kind": "branch", "branch": a["branch"].pk}, {"kind": "age", "min": 60, "max": 64}]}})
    actions.add_members(group=group, people=[a["people"]["young"]], acting_user=staff)
    assert evaluate_group(group) == (1, 0)
    assert _names(group) == {"Old", "Young"}  # the rule's member and the manual one
    # Only the manual member has *Remove*: the next run would bring the rule's one back.
    client = Client(HTTP_HOST=a["host"])
    client.force_login(staff)
    page = client.get(f"/admin/union-admin/groups/{group.pk}/").content.decode()
    assert f'name="person" value="{a["people"]["young"].pk}"' in page
    assert f'name="person" value="{a["people"]["old"].pk}"' not in page
    # Each member's name links to their page in the people admin.
    assert f'href="/admin/union-admin/people/{a["people"]["old"].pk}/"' in page
    # Old's birthday moves out of the range: they leave; the manual member stays.
    Person.objects.filter(pk=a["people"]["old"].pk).update(birth_date=_born(70))
    assert evaluate_group(group) == (0, 1)
    assert _names(group) == {"Young"}
    log = list(GroupLogEntry.objects.filter(group=group).order_by("pk")
               .values_list("person__first_name", "change", "source", "actor_id"))
    assert log == [("Young", "entered", "manual", staff.pk), ("Old", "entered", "rule", None),
                   ("Old", "left", "rule", None)]
    reason = GroupLogEntry.objects.filter(group=group, source="rule").first().reason
    assert "60–64" in reason and a["branch"].title in reason
    # The automation's changes are audited too, by the system (no actor), naming the rule.
    audited = list(AuditEntry.objects.filter(
        person_id=a["people"]["old"].pk, target__startswith=f"group {group.pk} ")
        .order_by("pk").values_list("actor_id", "action", "target"))
    assert audited == [(None, "edit", f"group {group.pk} entered rule: {reason}"),
                       (None, "edit", f"group {group.pk} left rule: {reason}")]
    # Removing a manual member asks first (no JavaScript needed), then removes.
    young = {"operation": "remove", "person": a["people"]["young"].pk}
    asked = client.post(f"/admin/union-admin/groups/{group.pk}/", young)
    assert asked.status_code == 200 and 'name="confirmed" value="1"' in asked.text
    assert _names(group) == {"Young"}
    client.post(f"/admin/union-admin/groups/{group.pk}/", {**young, "confirmed": "1"})
    assert _names(group) == set()


def test_subgroups_filter_and_custom_field_rules(w):
    a = w["a"]
    staff = a["staff"].user
    actions.add_members(group=a["child"], people=Person.objects.filter(
        pk=a["people"]["unknown"].pk), acting_user=staff)
    custom_actions.set_values(person=a["people"]["elsewhere"], acting_user=staff,
                              values={"shift": "night"}, editable=[a["field"]])
    night = actions.create_group(union=a["union"], name="Night", acting_user=staff, rule={
        "conditions": [{"kind": "custom_field", "field": a["field"].pk, "value": "night"}]})
    assert evaluate_group(night) == (1, 0)
    assert _names(night) == {"Elsewhere"}
    from portal.lifeevents.actions import add_status

    today = timezone.localdate()
    add_status(person=a["people"]["unknown"], kind="parental_leave", acting_user=staff,
               starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=9))
    leave = actions.create_group(union=a["union"], name="Leave", acting_user=staff, rule={
        "conditions": [{"kind": "life_event", "status": "parental_leave"}]})
    assert evaluate_group(leave) == (1, 0) and _names(leave) == {"Unknown"}
    found = selectors.filter_people(Person.objects.all(), union=a["union"], group=a["parent"])
    assert "Unknown" in {p.first_name for p in found}  # a member of the subgroup
    with pytest.raises(ValueError):
        selectors.filter_people(Person.objects.all(), union=a["union"], group=w["b"]["parent"])


def test_another_unions_objects_are_refused(w):
    a, b = w["a"], w["b"]
    for condition in ({"kind": "branch", "branch": b["branch"].pk},
                      {"kind": "custom_field", "field": b["field"].pk, "value": "x"},
                      {"kind": "raw", "membership_status": "active"},
                      {"kind": "status", "statuses": ["active'; --"]},
                      {"kind": "life_event", "status": "deceased"}):
        with pytest.raises(ValidationError):
            rules.validate_rule(a["union"], {"conditions": [condition]})
    with pytest.raises(PermissionDenied):
        actions.add_members(group=a["parent"], people=[b["people"]["old"]], acting_user=None)
    with pytest.raises(ValidationError):
        actions.update_group(group=a["child"], acting_user=None, values={"parent": b["parent"]})
    with pytest.raises(ValidationError):  # a group inside its own subgroup
        actions.update_group(group=a["parent"], acting_user=None, values={"parent": a["child"]})


def test_a_person_saved_runs_the_automations_once_queued(w, django_capture_on_commit_callbacks):
    a = w["a"]
    group = Group.objects.create(union=a["union"], name="On leave", rule={
        "conditions": [{"kind": "status", "statuses": ["on_leave"]}]})
    person = a["people"]["young"]
    # A run already queued: further changes queue none (debounced).
    PendingEvaluation.objects.create(union=a["union"], requested_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        person.membership_status = "on_leave"
        person.save()
    assert "Young" not in _names(group)
    # Nothing queued: a save queues the run, which (immediate backend) takes the row.
    PendingEvaluation.objects.filter(union=a["union"]).delete()
    with django_capture_on_commit_callbacks(execute=True):
        person.save()
    assert "Young" in _names(group)
    assert not PendingEvaluation.objects.filter(union=a["union"]).exists()


def test_screens_stay_in_the_union(w):
    a, b = w["a"], w["b"]
    client = Client(HTTP_HOST=a["host"])
    client.force_login(a["staff"].user)
    listing = client.get("/admin/union-admin/groups/")
    assert listing.status_code == 200 and b"Seniors" in listing.content
    detail = client.get(f"/admin/union-admin/groups/{a['parent'].pk}/")
    assert detail.status_code == 200
    foreign = b["parent"].pk
    for path in (f"/admin/union-admin/groups/{foreign}/",
                 f"/admin/union-admin/groups/{foreign}/edit/"):
        assert client.get(path).status_code == 404, path
        assert client.post(path, {"operation": "delete"}).status_code == 404, path
    assert Group.objects.filter(pk=foreign).exists()
    for bad in ("x", "²", "99999999999999999999999", str(b["people"]["old"].pk)):
        assert client.post(f"/admin/union-admin/groups/{a['parent'].pk}/",
                           {"operation": "remove", "person": bad}).status_code == 404
    # B's person by member number on A's group: nobody is found.
    response = client.post(f"/admin/union-admin/groups/{a['parent'].pk}/",
                           {"operation": "add", "who": b["people"]["old"].member_number})
    assert response.status_code == 200
    assert not GroupMembership.objects.filter(person=b["people"]["old"]).exists()
    # A rule naming B's branch, posted to A's form, is refused.
    response = client.post("/admin/union-admin/groups/add/", {
        "name": "Sneaky", "automated": "on", "branch": b["branch"].pk})
    assert response.status_code == 200 and not Group.objects.filter(name="Sneaky").exists()
    # The branch is chosen by typing (the union's branches through the chooser's JSON),
    # not from a <select> of every branch; typed text not chosen from the list is refused.
    form = client.get("/admin/union-admin/groups/add/").content.decode()
    assert '<select name="branch"' not in form and a["branch"].title not in form
    assert 'data-search-url="/admin/union-admin/people/choices/branch/"' in form
    response = client.post("/admin/union-admin/groups/add/", {
        "name": "Typed", "automated": "on", "branch": "", "branch_text": "Nowhere"})
    assert response.status_code == 200 and 'value="Nowhere"' in response.content.decode()
    assert response.context["form"].errors["branch"]
    client.post("/admin/union-admin/groups/add/", {
        "name": "Chosen", "automated": "on", "branch": a["branch"].pk})
    assert Group.objects.get(name="Chosen").rule == {
        "conditions": [{"kind": "branch", "branch": a["branch"].pk}]}
    # Conditions without the automation's tick are not dropped silently into a manual
    # group: the form says to tick it or clear them.
    response = client.post("/admin/union-admin/groups/add/", {
        "name": "Unticked", "branch": a["branch"].pk, "age_min": "50"})
    assert response.status_code == 200 and not Group.objects.filter(name="Unticked").exists()
    assert response.context["form"].errors["automated"]
    client.post("/admin/union-admin/groups/add/", {"name": "Plain hand-kept"})
    assert Group.objects.get(name="Plain hand-kept").rule is None
    # Unticking an existing automation (its conditions still on the form) turns it off.
    chosen = Group.objects.get(name="Chosen")
    client.post(f"/admin/union-admin/groups/{chosen.pk}/edit/", {
        "name": "Chosen", "branch": a["branch"].pk})
    chosen.refresh_from_db()
    assert chosen.rule is None
    member = Client(HTTP_HOST=a["host"])
    member.force_login(make_person(a["union"], roles=(Role.MEMBER,)).user)
    assert member.get("/admin/union-admin/groups/").status_code in (302, 403)
