"""Accents, union staff and offices, bulletin hits: on both engines (issue 12 item 16)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from portal.union.models import Role, UnionOffice, UnionStaffMember
from search import engine, outbox
from search.client import get_client
from search.documents import alias_name
from search.folding import fold
from search.tests.conftest import sync
from tests.factories import (
    make_branch,
    make_bulletin,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)
from tests.shared import module_world

pytestmark = pytest.mark.django_db


def _build_corpus():
    union, other = make_union("fold"), make_union("fold2")
    staff = make_person(union, roles=(Role.STAFF,), first_name="Stina", last_name="Staff")
    member = make_person(union, roles=(Role.MEMBER,), first_name="Maija", last_name="Member")
    hanninen = make_person(union, first_name="Åke", last_name="Hänninen", user=False)
    make_person(other, first_name="Åke", last_name="Hänninen", user=False)
    employer = make_employer(union, "Ääneseudun Sähkö Oy")
    workplace = make_workplace(employer, "Mäntän myymälä")
    workplace.city = "Mänttä"
    workplace.save()
    root = union.root_page.specific
    UnionStaffMember(page=root, name="Sirpa Jääskeläinen", title="Lakimies",
                     office="Tampereen toimisto", email="sirpa@fold.example").save()
    UnionOffice(page=root, name="Tampereen toimisto", street_address="Hämeenkatu 1",
                postal_code="33100", city="Tampere").save()
    UnionStaffMember(page=other.root_page.specific, name="Sirpa Jääskeläinen",
                     title="Jurist").save()
    branch = make_branch(union, "Osasto 042 Östersund")
    bulletin = make_bulletin(branch, "Kevätkokous")
    bulletin.date = dt.date(2026, 3, 14)
    bulletin.save_revision().publish()
    return {"union": union, "other": other, "staff": staff.user, "member": member.user,
            "hanninen": hanninen, "employer": employer, "workplace": workplace,
            "branch": branch, "bulletin": bulletin}


corpus_rows, corpus = module_world(_build_corpus, name="corpus")


def _hits(corpus, query, user="staff", kind=None):
    return engine.search(user=corpus[user], union=corpus["union"], query=query, kind=kind).hits


def _found(corpus, query, user="staff"):
    return {(h.kind, h.title) for h in _hits(corpus, query, user)}


def test_fold_matches_unaccent():
    assert fold("Hänninen Åke Øster Ærø straße") == "HANNINEN AKE OSTER AERO STRASSE"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT portal_fold(%s)", ["Hänninen Åke Øster"])
            assert cursor.fetchone()[0] == "HANNINEN AKE OSTER"


def test_accents_are_ignored(corpus, engine_name):
    sync()
    for query in ("hanninen", "Hanninen", "HÄNNINEN", "ake hanninen", "Åke"):
        assert ("person", "Åke Hänninen") in _found(corpus, query), query
    hits = _hits(corpus, "ake", kind="person")
    assert [h.object_id for h in hits] == [corpus["hanninen"].pk]  # not the other union's
    assert ("employer", corpus["employer"].title) in _found(corpus, "aaneseudun sahko")
    assert ("workplace", corpus["workplace"].title) in _found(corpus, "mantan")
    assert ("branch", corpus["branch"].title) in _found(corpus, "ostersund")
    # And the other way round: an accent typed finds the same.
    assert ("workplace", corpus["workplace"].title) in _found(corpus, "Mäntän")


def test_autocomplete_ignores_accents(corpus, engine_name):
    sync()
    groups = engine.autocomplete(user=corpus["staff"], union=corpus["union"], query="hann")
    assert [h.title for g in groups if g.kind == "person" for h in g.hits] == ["Åke Hänninen"]


def test_union_staff_and_offices_are_found(corpus, engine_name):
    sync()
    for user in ("staff", "member"):
        assert ("staff", "Sirpa Jääskeläinen") in _found(corpus, "jaaskelainen", user)
        assert ("staff", "Sirpa Jääskeläinen") in _found(corpus, "lakimies", user)
        assert ("office", "Tampereen toimisto") in _found(corpus, "hameenkatu", user)
    hit = next(h for h in _hits(corpus, "Sirpa") if h.kind == "staff")
    assert (hit.url, hit.subtitle) == ("/#staff-heading", "Lakimies · Tampereen toimisto")
    hit = next(h for h in _hits(corpus, "tampereen toimisto") if h.kind == "office")
    assert (hit.url, hit.subtitle) == ("/#offices-heading", "Hämeenkatu 1, 33100 Tampere")
    # The other union's staff member (same name) is not found here.
    assert len([h for h in _hits(corpus, "Sirpa") if h.kind == "staff"]) == 1
    results = engine.search(user=corpus["staff"], union=corpus["union"], query="Sirpa")
    assert results.facets.get("staff") == 1


def test_staff_changes_reach_the_index(corpus, es_search):
    sync()
    root = corpus["union"].root_page.specific
    root.staff_members.all().delete()
    UnionStaffMember(page=root, name="Pekka Öhman", title="Toimitsija").save()
    root.save_revision().publish()
    outbox.drain()
    get_client().indices.refresh(index=alias_name())
    assert ("staff", "Pekka Öhman") in _found(corpus, "ohman")
    assert not [h for h in _hits(corpus, "jaaskelainen") if h.kind == "staff"]


def test_a_bulletin_hit_shows_its_branch_and_date(corpus, engine_name):
    sync()
    hit = next(h for h in _hits(corpus, "kevatkokous") if h.kind == "page")
    assert hit.branch == corpus["branch"].title
    assert hit.date == dt.date(2026, 3, 14)
    with translation.override("en"):
        assert hit.kind_label == "Bulletin"


def test_the_results_page_shows_branch_date_and_staff(corpus, engine_name, settings):
    sync()
    client = Client(HTTP_HOST=corpus["union"].site.hostname)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    client.force_login(corpus["staff"])
    html = client.get("/search/", {"q": "kevatkokous"}).content.decode()
    assert f'{corpus["branch"].title} · ' in html and '<time datetime="2026-03-14">' in html
    assert "14.3.2026" in html
    assert "Tiedote" in html
    html = client.get("/search/", {"q": "jaaskelainen"}).content.decode()
    assert 'href="/#staff-heading"' in html and "Lakimies · Tampereen toimisto" in html


def test_a_short_word_being_typed_after_a_longer_one_does_not_hide_the_match(corpus,
                                                                          db_search):
    # "Ääneseudun S" is "Ääneseudun Sähkö Oy" half typed: the one-letter word matches only
    # the start of a field, so alone it would find nothing; the longer word decides.
    def employer_found(query):
        return any(kind == "employer" and title.startswith("Ääneseudun Sähkö Oy")
                   for kind, title in _found(corpus, query))

    assert employer_found("aaneseudun s")
    assert employer_found("Ääneseudun Sä")
    assert employer_found("Ää")  # short words alone still match field starts
