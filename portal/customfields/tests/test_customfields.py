"""Custom fields: definitions that cannot collide or carry markup, values set through the
action and filtered in SQL, who sees and edits which field, and the admin screens scoped
to the union (another union's field or person is a 404)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from portal.customfields import actions, selectors
from portal.customfields.models import CustomField, FieldType, PersonCustomValues
from portal.people.models import Person, PositionKind
from portal.union.models import Role
from tests.factories import appoint, make_branch, make_person, make_union
from tests.shared import rolled_back


def _world(slug: str) -> dict:
    union = make_union(slug)
    branch = make_branch(union)
    admin = make_person(union, roles=(Role.ADMIN,), first_name="Admin")
    staff = make_person(union, roles=(Role.STAFF,), first_name="Staff")
    chair = make_person(union, branch=branch, roles=(Role.MEMBER,), first_name="Chair")
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    member = make_person(union, branch=branch, roles=(Role.MEMBER,), first_name="Member")
    other = make_person(union, roles=(Role.MEMBER,), first_name="Other")
    by = admin.user
    shift = actions.define_field(
        union=union, key="shift", acting_user=by, field_type=FieldType.CHOICE,
        label_fi="Vuoro", label_sv="Skift", label_en="Shift", officials_see=True,
        choices=[{"value": "night", "fi": "Yö", "en": "Night"}, {"value": "day", "fi": "Päivä"}])
    years = actions.define_field(union=union, key="years", acting_user=by,
                                 field_type=FieldType.NUMBER, label_fi="Vuodet",
                                 min_value=0, max_value=80, officials_edit=True)
    skills = actions.define_field(
        union=union, key="skills", acting_user=by, field_type=FieldType.MULTI_CHOICE,
        label_fi="Taidot", person_edits=True,
        choices=[{"value": "first_aid"}, {"value": "forklift"}])
    secret = actions.define_field(union=union, key="note", acting_user=by,
                                  field_type=FieldType.TEXT, label_fi="Muistiinpano")
    fields = [shift, years, skills, secret]
    actions.set_values(person=member, acting_user=by, editable=fields, values={
        "shift": "night", "years": 12, "skills": ["forklift", "first_aid"], "note": "x"})
    actions.set_values(person=other, acting_user=by, editable=fields,
                       values={"shift": "day", "years": 3})
    return {"union": union, "host": union.site.hostname, "branch": branch, "admin": admin,
            "staff": staff, "chair": chair, "member": member, "other": other,
            "fields": {f.key: f for f in fields}}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back():
        yield {"a": _world("cfa"), "b": _world("cfb")}


@pytest.fixture
def w(world, db):
    return world


def _client(side, role) -> Client:
    client = Client(HTTP_HOST=side["host"])
    client.force_login(side[role].user)
    return client


def test_a_key_cannot_take_a_built_in_name_and_a_label_cannot_carry_markup(w):
    union = w["a"]["union"]
    for key in ("email", "branch_id", "birth_date", "Bad-Key"):
        with pytest.raises(ValidationError):
            actions.define_field(union=union, key=key, acting_user=None,
                                 field_type=FieldType.TEXT, label_fi="Ok")
    with pytest.raises(ValidationError):
        actions.define_field(union=union, key="fine", acting_user=None,
                             field_type=FieldType.TEXT, label_fi="<script>x</script>")
    with pytest.raises(ValidationError):  # the same key twice in a union
        actions.define_field(union=union, key="shift", acting_user=None,
                             field_type=FieldType.TEXT, label_fi="Ok")


def test_filter_people_in_sql(w):
    a, b = w["a"], w["b"]
    union, fields = a["union"], a["fields"]
    people = Person.objects.all()

    def names(field, value):
        return {p.first_name for p in selectors.filter_people(people, union=union,
                                                               field=fields[field], value=value)}

    assert names("shift", "night") == {"Member"}
    assert names("years", (5, 20)) == {"Member"}
    assert names("years", "..5") == {"Other"}
    assert names("years", "") == {"Member", "Other"}
    assert names("skills", "forklift") == {"Member"}
    assert names("shift", "nonsense") == set()
    with pytest.raises(ValueError):
        selectors.filter_people(people, union=union, field=b["fields"]["shift"], value="night")
    stored = PersonCustomValues.objects.get(person=a["member"]).values
    assert stored == {"shift": "night", "years": 12, "skills": ["first_aid", "forklift"],
                      "note": "x"}


def test_who_sees_and_edits_which_field(w, rf):
    a = w["a"]

    def section(role, person):
        request = rf.get("/")
        request.user, request.union = a[role].user, a["union"]
        result = selectors.person_section(request=request, person=person)
        return None if result is None else [row["label"] for row in result["custom_fields"]]

    assert section("staff", a["member"]) == ["Vuoro", "Vuodet", "Taidot", "Muistiinpano"]
    assert section("chair", a["member"]) == ["Vuoro", "Vuodet"]  # officials of the branch
    assert section("chair", a["other"]) is None  # not in the chair's branch
    assert section("member", a["member"]) == ["Taidot"]  # the person themself
    chair = _client(a, "chair")
    url = f"/admin/union-admin/custom-fields/people/{a['member'].pk}/"
    assert chair.get(url).status_code == 200
    # A posted value of a field the chair may only see is ignored (disabled field).
    response = chair.post(url, {"shift": "day", "years": "13"})
    assert response.status_code == 302
    assert selectors.values_of(a["member"])["shift"] == "night"
    assert selectors.values_of(a["member"])["years"] == 13
    member = _client(a, "member")
    response = member.post("/profile/custom-fields/", {"skills": ["first_aid"]})
    assert response.status_code == 302
    assert selectors.values_of(a["member"])["skills"] == ["first_aid"]
    assert member.get(url).status_code in (302, 403)
    exported = next(section["rows"][0]["values"]  # the access export (portal/privacy)
                    for section in member.get("/profile/export/").json()["data"]
                    if section["model"] == "customfields.personcustomvalues")
    assert exported == {"shift": "night", "years": 13, "skills": ["first_aid"], "note": "x"}


def test_admin_screens_stay_in_the_union(w):
    a, b = w["a"], w["b"]
    admin = _client(a, "admin")
    listing = admin.get("/admin/union-admin/custom-fields/")
    assert listing.status_code == 200 and b"Vuoro" in listing.content
    assert listing["Cache-Control"].startswith("private") or "no-store" in listing["Cache-Control"]
    foreign_field = b["fields"]["shift"].pk
    for path in (f"/admin/union-admin/custom-fields/{foreign_field}/",
                 f"/admin/union-admin/custom-fields/{foreign_field}/people/",
                 f"/admin/union-admin/custom-fields/people/{b['member'].pk}/"):
        assert admin.get(path).status_code == 404, path
    assert admin.post("/admin/union-admin/custom-fields/",
                      {"field": foreign_field, "operation": "archive"}).status_code == 404
    assert not CustomField.objects.get(pk=foreign_field).archived
    # Archiving the union's own field asks first (no JavaScript needed), then archives.
    own = {"field": a["fields"]["shift"].pk, "operation": "archive"}
    asked = admin.post("/admin/union-admin/custom-fields/", own)
    assert asked.status_code == 200 and 'name="confirmed" value="1"' in asked.text
    assert not CustomField.objects.get(pk=own["field"]).archived
    admin.post("/admin/union-admin/custom-fields/", {**own, "confirmed": "1"})
    assert CustomField.objects.get(pk=own["field"]).archived
    assert admin.post("/admin/union-admin/custom-fields/",
                      {"field": "x", "operation": "up"}).status_code == 404
    staff = _client(a, "staff")
    assert staff.get("/admin/union-admin/custom-fields/add/").status_code in (302, 403)
    found = staff.get(f"/admin/union-admin/custom-fields/{a['fields']['shift'].pk}/people/",
                      {"value": "night"})
    assert found.status_code == 200 and a["member"].last_name.encode() in found.content


def test_defining_a_field_in_the_form(w):
    a = w["a"]
    admin = _client(a, "admin")
    response = admin.post("/admin/union-admin/custom-fields/add/", {
        "key": "union_card", "field_type": "yes_no", "label_fi": "Kortti",
        "label_sv": "<b>Kort</b>"})
    assert response.status_code == 200  # the markup is refused, explained
    response = admin.post("/admin/union-admin/custom-fields/add/", {
        "key": "union_card", "field_type": "yes_no", "label_fi": "Kortti", "label_sv": "Kort"})
    assert response.status_code == 302
    field = CustomField.objects.get(union=a["union"], key="union_card")
    assert field.position == 4
    assert selectors.filter_people(Person.objects.all(), union=a["union"], field=field,
                                   value="yes").count() == 0


def test_staff_find_people_by_their_custom_values(w, settings, elasticsearch_url):
    import uuid

    from search.client import drop_all, get_client
    from search.engine import search
    from search.outbox import drain
    from search.reindex import reindex

    a = w["a"]

    def people(side, query):
        return {h.object_id for h in search(user=side.user, union=a["union"], query=query).hits
                if h.kind == "person"}

    settings.ELASTICSEARCH_URL = ""  # the database: a value equal to the word
    assert people(a["staff"], "forklift") == {a["member"].pk}  # an item of a multiple choice
    assert people(a["chair"], "forklift") == set()  # staff only
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.SEARCH_INDEX_PREFIX = f"portal-test-{uuid.uuid4().hex[:10]}"
    try:
        reindex()
        get_client().indices.refresh(index="_all")
        assert people(a["staff"], "forklift") == {a["member"].pk}
        assert people(a["staff"], "Night") == {a["member"].pk}
        assert people(a["chair"], "forklift") == set()
        # A changed value reaches the index through the outbox (drained here: the
        # test's transaction never commits, which is when a worker would drain it).
        actions.set_values(person=a["other"], acting_user=a["admin"].user,
                           editable=list(a["fields"].values()), values={"note": "varasto"})
        drain()
        get_client().indices.refresh(index="_all")
        assert people(a["staff"], "varasto") == {a["other"].pk}
    finally:
        drop_all(get_client())
