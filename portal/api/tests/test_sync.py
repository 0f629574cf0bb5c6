"""A register system, simulated as an API client, creates, updates and reads back a
union's organisations and people (issue 14, "Done when")."""

import datetime as dt

import pytest

from portal.audit.models import AuditEntry
from portal.people.models import Employment, Person, PositionOfTrust, Training
from portal.workplaces.models import EmployerPage, WorkplacePage
from tests.factories import _business_id, make_branch, make_person, make_union

from .helpers import register_of

pytestmark = pytest.mark.usefixtures("postgres")


@pytest.fixture
def union(db):
    return make_union("syn")


@pytest.fixture
def register(union):
    return register_of(union)


def test_register_creates_updates_and_reads_back(union, register):
    branch = make_branch(union)
    branch.number = "12"
    branch.save()
    employer_id = _business_id(4242)

    response = register.bulk("employers", [
        {"business_id": employer_id, "name": "Konepaja Oy", "city": "Tampere"}])
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    response = register.bulk("workplaces", [
        {"register_id": "WP-1", "employer": employer_id, "name": "Hervanta plant",
         "employee_count": "120"}])
    assert response.json()["created"] == 1, response.content
    response = register.bulk("people", [
        {"member_number": "100200", "first_name": "Aino", "last_name": "Virtanen",
         "alternative_name": "Aino Wirtanen", "email": "aino@example.org",
         "membership_status": "active", "branch": "12", "joined_on": "1.3.2019"},
        {"member_number": "100201", "first_name": "Bo", "last_name": "Ek",
         "preferred_language": "sv"},
    ])
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    for kind, record in (
        ("employments", {"member_number": "100200", "employer": employer_id,
                         "starts_on": "2019-03-01", "workplace": "WP-1",
                         "title": "Welder"}),
        ("positions", {"member_number": "100200", "kind": "shop_steward",
                       "scope_kind": "workplace", "scope": "WP-1",
                       "starts_on": "2024-01-01"}),
        ("trainings", {"member_number": "100201", "name": "Basics",
                       "completed_on": "2023-05-05", "provider": "TJS"}),
    ):
        response = register.bulk(kind, [record])
        assert response.status_code == 200, (kind, response.content)
        assert response.json()["created"] == 1, kind

    aino = Person.objects.for_union(union).get(member_number="100200")
    assert (aino.branch_id, aino.joined_on) == (branch.pk, dt.date(2019, 3, 1))
    workplace = WorkplacePage.objects.for_union(union).get(register_id="WP-1")
    assert workplace.employer.business_id == employer_id
    assert Employment.objects.for_union(union).get(person=aino).workplace_id == workplace.pk
    assert PositionOfTrust.objects.for_union(union).get(person=aino).scope_page_id == workplace.pk
    assert Training.objects.for_union(union).filter(person__member_number="100201").exists()

    # An update: one field changes, the rest stays; the same record again is unchanged.
    response = register.bulk("people", [
        {"member_number": "100200", "first_name": "Aino", "last_name": "Virtanen-Koski"},
        {"member_number": "100201", "first_name": "Bo", "last_name": "Ek"},
    ])
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 1, 1), body
    assert body["results"] == [{"index": 0, "status": "updated"},
                               {"index": 1, "status": "unchanged"}]
    aino.refresh_from_db()
    assert (aino.last_name, aino.email) == ("Virtanen-Koski", "aino@example.org")

    # Reads: one by key, a page, a filtered list, composite keys.
    person = register.get("people/100200").json()
    assert person["last_name"] == "Virtanen-Koski"
    assert person["branch"] == "12" and person["joined_on"] == "2019-03-01"
    assert "identity_code" not in person
    assert register.get(f"employers/{employer_id}").json()["name"] == "Konepaja Oy"
    assert register.get("workplaces/WP-1").json()["employee_count"] == 120
    employment = register.get("employments/key", member_number="100200",
                              employer=employer_id, starts_on="1.3.2019").json()
    assert (employment["workplace"], employment["title"]) == ("WP-1", "Welder")
    position = register.get("positions", member_number="100200").json()["items"]
    assert [(p["kind"], p["scope"]) for p in position] == [("shop_steward", "WP-1")]
    assert register.get("trainings/key", member_number="100201", name="Basics",
                        completed_on="2023-05-05").status_code == 200
    assert register.get("employments/key", member_number="100200").status_code == 404

    # Every call is in the audit log with the client, the endpoint and the counts.
    entries = AuditEntry.objects.for_union(union).filter(
        target__startswith=f"api-client:{register.client.pk}:")
    bulk_people = entries.filter(target__endswith="POST /api/v1/people/bulk").first()
    assert bulk_people is not None and "created=2" in entries.filter(
        target__endswith="POST /api/v1/people/bulk").last().fields
    read = entries.filter(target__endswith="GET /api/v1/people/100200", person_id=aino.pk)
    assert read.exists()
    assert EmployerPage.objects.for_union(union).count() == 1


def test_pages_of_people(union, register):
    records = [{"member_number": f"{5000 + i}", "first_name": "P", "last_name": f"N{i}"}
               for i in range(7)]
    assert register.bulk("people", records).json()["created"] == 7
    seen, cursor, pages = [], "", 0
    while True:
        body = register.get("people", limit=3, **({"cursor": cursor} if cursor else {})).json()
        seen += [p["member_number"] for p in body["items"]]
        pages += 1
        if not body["next"]:
            break
        cursor = body["next"]
    assert (sorted(seen), pages) == ([r["member_number"] for r in records], 3)
    bad = register.get("people", cursor="forged")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert register.get("people", limit=0).status_code == 400
    assert register.get("people", limit="x").json()["type"].endswith("invalid-parameters")


def test_a_thousand_records_in_one_call(union, register):
    records = [{"member_number": f"T{i:05d}", "first_name": "Test", "last_name": f"N{i}"}
               for i in range(1000)]
    response = register.bulk("people", records)
    assert response.status_code == 200, response.content[:500]
    assert response.json()["created"] == 1000
    assert Person.objects.for_union(union).filter(member_number__startswith="T").count() == 1000
    assert register.bulk("people", records).json()["unchanged"] == 1000


def test_dry_run_writes_nothing(union, register):
    response = register.bulk("people", [
        {"member_number": "D1", "first_name": "Dry", "last_name": "Run"}], dry_run=True)
    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert not Person.objects.for_union(union).filter(member_number="D1").exists()


def test_change_feed_lists_a_portal_edit(union, register):
    from portal.people import actions as people_actions

    person = make_person(union)
    start = register.get("changes").json()
    people_actions.update_own_profile(person=person, values={"phone": "+358 40 123"},
                                      acting_user=person.user)
    body = register.get("changes", since=start["next"] or "").json()
    people = [c for c in body["changes"] if c["kind"] == "people"]
    assert [c["key"] for c in people] == [{"member_number": person.member_number}], body
    assert people[0]["fields"]["phone"] == "+358 40 123"
    assert AuditEntry.objects.filter(person_id=person.pk,
                                     target__endswith="GET /api/v1/changes").exists()
    assert register.get("changes", since="garbage").status_code == 400
    assert register.get("changes", kinds="people,nonsense").status_code == 400
