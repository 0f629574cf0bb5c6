"""The employment form chooses employer and workplace by search, never from a list of
every employer; only this union's pages are found and accepted (both search engines)."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.people.models import Employment
from portal.union.models import Role
from search.tests.conftest import db_search, engine_name, es_search, sync  # noqa: F401
from tests.factories import make_employer, make_person, make_union, make_workplace
from tests.shared import module_world

pytestmark = pytest.mark.django_db


def _build_s():
    union, other = make_union("ef1"), make_union("ef2")
    employers = [make_employer(union, f"Kauppahuone {name}") for name in ("Alfa", "Beta", "Gamma")]
    mine = make_employer(union, "Sähköpaja Virta")
    mine.business_id = _unique_business_id()
    mine.save()
    shop = make_workplace(mine, "Sähköpaja Virta, Tampere")
    make_workplace(mine, "Sähköpaja Virta, Oulu")
    elsewhere = make_workplace(employers[0], "Kauppahuone Alfa, Turku")
    foreign = make_employer(other, "Sähköpaja Virta")
    foreign_shop = make_workplace(foreign, "Sähköpaja Virta, Tampere")
    member = make_person(union, roles=(Role.MEMBER,))
    outsider = make_person(other, roles=(Role.MEMBER,))
    return {"union": union, "employers": employers, "mine": mine, "shop": shop,
            "elsewhere": elsewhere, "foreign": foreign, "foreign_shop": foreign_shop,
            "member": member, "outsider": outsider}


s_rows, s_copy = module_world(_build_s, name="s_copy")


@pytest.fixture
def s(s_copy):
    return s_copy


def _unique_business_id() -> str:
    """Far from the factories' numbers (consecutive ones may share an ID)."""
    from portal.workplaces.validators import business_id_check_digit

    for n in range(7654321, 7654400):
        check = business_id_check_digit(str(n))
        if check is not None:
            return f"{n}-{check}"
    raise AssertionError("no business ID")


def _client(s, person=None) -> Client:
    client = Client(HTTP_HOST=s["union"].site.hostname)
    if person is not None:
        client.force_login(person.user)
    return client


def test_the_form_lists_no_employers(s):
    html = _client(s, s["member"]).get("/profile/employments/add/").content.decode()
    assert "<select" not in html
    for employer in s["employers"]:
        assert employer.title not in html
    assert 'name="employer_search"' in html and 'value="employer"' in html
    assert "people/employment_form.js" in html


@pytest.mark.usefixtures("engine_name")
def test_without_javascript_a_search_button_shows_the_matches(s):
    sync()
    client = _client(s, s["member"])
    response = client.post("/profile/employments/add/", {
        "find": "employer", "employer_search": "sähköpaja", "title": "Asentaja"})
    assert response.status_code == 200
    choices = response.context["employer_choices"]
    assert [c.pk for c in choices] == [s["mine"].pk]  # not the other union's namesake
    html = response.content.decode()
    assert f'name="employer" value="{s["mine"].pk}"' in html
    assert 'value="Asentaja"' in html  # the rest of the form as typed
    assert "errorlist" not in html
    # Chosen, the employer's workplaces are found; nothing has been saved yet.
    response = client.post("/profile/employments/add/", {
        "find": "workplace", "employer": s["mine"].pk, "workplace_search": "tampere"})
    assert [c.pk for c in response.context["workplace_choices"]] == [s["shop"].pk]
    assert response.context["employer"].pk == s["mine"].pk
    # With nothing typed, the chosen employer's workplaces are listed (its own only).
    response = client.post("/profile/employments/add/", {
        "find": "workplace", "employer": s["mine"].pk, "workplace_search": ""})
    listed = {c.pk for c in response.context["workplace_choices"]}
    assert s["shop"].pk in listed and len(listed) == 2 and s["elsewhere"].pk not in listed
    assert not Employment.objects.filter(person=s["member"]).exists()
    response = client.post("/profile/employments/add/", {
        "employer": s["mine"].pk, "workplace": s["shop"].pk, "title": "Asentaja"})
    assert response.status_code == 302
    job = Employment.objects.get(person=s["member"])
    assert (job.employer_id, job.workplace_id, job.title) == (s["mine"].pk, s["shop"].pk,
                                                              "Asentaja")


@pytest.mark.parametrize("values", [
    "foreign_employer", "foreign_workplace", "workplace_of_another_employer", "no_employer",
])
def test_only_this_unions_employers_and_workplaces_are_saved(s, values):
    posted = {
        "foreign_employer": {"employer": s["foreign"].pk},
        "foreign_workplace": {"employer": s["mine"].pk, "workplace": s["foreign_shop"].pk},
        "workplace_of_another_employer": {"employer": s["mine"].pk,
                                          "workplace": s["elsewhere"].pk},
        "no_employer": {"employer_search": "Sähköpaja"},
    }[values]
    response = _client(s, s["member"]).post("/profile/employments/add/", posted)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Employment.objects.filter(person=s["member"]).exists()


@pytest.mark.usefixtures("engine_name")  # each engine in turn (search/tests/conftest.py)
def test_the_search_json_finds_only_this_unions_pages(s):
    sync()
    client = _client(s, s["member"])
    response = client.get("/search/organisations/", {"kind": "employer", "q": "sähköp"})
    assert response.status_code == 200
    assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}
    assert [r["id"] for r in response.json()["results"]] == [s["mine"].pk]
    # Typos and business IDs find employers too.
    assert [r["id"] for r in client.get("/search/organisations/", {
        "kind": "employer", "q": s["mine"].business_id}).json()["results"]] == [s["mine"].pk]
    workplaces = client.get("/search/organisations/", {
        "kind": "workplace", "employer": s["mine"].pk, "q": "tampe"}).json()["results"]
    assert [r["id"] for r in workplaces] == [s["shop"].pk]
    # Another union's employer id finds nothing, typed or not.
    for q in ("tampe", ""):
        assert client.get("/search/organisations/", {
            "kind": "workplace", "employer": s["foreign"].pk, "q": q}).json()["results"] == []
    # A session of the other union is nobody here.
    foreign = _client(s, s["outsider"])
    response = foreign.get("/search/organisations/", {"kind": "employer", "q": "sähköp"})
    assert response.status_code == 302
