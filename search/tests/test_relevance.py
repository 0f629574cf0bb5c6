"""Relevance probes: inflected Finnish and Swedish, typos, business IDs."""

import pytest

from portal.agreements.models import CollectiveAgreementPage
from portal.pages.models import ContentPage
from portal.union.actions import union_indexes
from portal.union.models import Role
from search import engine
from search.tests.conftest import sync
from tests.factories import make_branch, make_employer, make_person, make_union, make_workplace
from tests.shared import module_world

pytestmark = pytest.mark.django_db


def _build_corpus():
    union = make_union("rel")
    staff = make_person(union, roles=(Role.STAFF,), first_name="Stina", last_name="Staff")
    virtanen = make_person(union, first_name="Matti", last_name="Virtanen", user=False)
    make_person(union, first_name="Liisa", last_name="Korhonen", user=False)
    employer = make_employer(union, "Kauppa Oy")
    employer.city = "Tampere"
    employer.save()
    workplace = make_workplace(employer, "Myymälä")
    workplace.city = "Tampere"
    workplace.save()
    make_workplace(employer, "Varasto").save()
    root = union.root_page
    steward_page = root.add_child(instance=ContentPage(
        title="Luottamusmies", slug="luottamusmies", union=union,
        intro="<p>Luottamusmies edustaa työpaikan jäseniä.</p>"))
    agreements = union_indexes(union).agreements
    avtal = agreements.add_child(instance=CollectiveAgreementPage(
        title="Kollektivavtal för handeln", slug="avtal-handeln", union=union,
        summary="Avtal om arbetsplatser inom handeln."))
    branch = make_branch(union, "Osasto")
    return {"union": union, "user": staff.user, "virtanen": virtanen, "employer": employer,
            "workplace": workplace, "steward_page": steward_page, "avtal": avtal,
            "branch": branch}


corpus_rows, corpus = module_world(_build_corpus, name="corpus")


def _ids(corpus, query, kind=None):
    results = engine.search(user=corpus["user"], union=corpus["union"], query=query, kind=kind)
    return [(h.kind, h.object_id) for h in results.hits]


def test_inflected_finnish_finds_the_base_form(corpus, es_search):
    sync()
    found = _ids(corpus, "Tampereella")
    assert ("workplace", corpus["workplace"].pk) in found
    assert ("employer", corpus["employer"].pk) in found
    assert _ids(corpus, "luottamusmiehen")[0] == ("page", corpus["steward_page"].pk)
    assert ("page", corpus["steward_page"].pk) in _ids(corpus, "luottamusmiehet")


def test_inflected_swedish_finds_the_base_form(corpus, es_search):
    sync()
    assert ("agreement", corpus["avtal"].pk) in _ids(corpus, "avtalen")
    assert ("agreement", corpus["avtal"].pk) in _ids(corpus, "kollektivavtalen")
    assert ("agreement", corpus["avtal"].pk) in _ids(corpus, "arbetsplatserna")


def test_one_typo_in_a_name_is_tolerated(corpus, es_search):
    sync()
    failed = [typo for typo in ("Virtamen", "Virtanne", "Wirtanen", "virtanen", "Virtane")
              if _ids(corpus, typo, kind="person")[:1] != [("person", corpus["virtanen"].pk)]]
    assert failed == []
    assert ("person", corpus["virtanen"].pk) not in _ids(corpus, "Korhonen")


def test_autocomplete_completes_a_prefix(corpus, es_search):
    sync()
    groups = engine.autocomplete(user=corpus["user"], union=corpus["union"], query="Virt")
    assert [h.title for g in groups if g.kind == "person" for h in g.hits] == ["Matti Virtanen"]
    groups = engine.autocomplete(user=corpus["user"], union=corpus["union"], query="myym")
    assert [g.kind for g in groups] == ["workplace"]


@pytest.mark.parametrize("engine_name", ["database", "elasticsearch"], indirect=True)
def test_business_id_with_or_without_the_dash(corpus, engine_name):
    sync()
    business_id = corpus["employer"].business_id
    for query in (business_id, business_id.replace("-", "")):
        assert _ids(corpus, query)[0] == ("employer", corpus["employer"].pk), query


@pytest.mark.parametrize("engine_name", ["database"], indirect=True)
def test_database_fallback_stems_finnish_on_postgresql(corpus, engine_name, postgres):
    found = _ids(corpus, "Tampereella")
    assert ("workplace", corpus["workplace"].pk) in found
    assert ("agreement", corpus["avtal"].pk) in _ids(corpus, "avtalen")
