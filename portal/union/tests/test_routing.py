"""A union site routes a URL in one query and answers exactly as Wagtail's walk would."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from portal.union.routing import route_in_one_query
from portal.workplaces.models import WorkplacePage
from tests.factories import make_branch, make_employer, make_union, make_workplace

pytestmark = pytest.mark.django_db


def _path(union, page) -> list[str]:
    return [c for c in page.url_path[len(union.root_page.url_path):].split("/") if c]


def _walk(root, components):
    """Wagtail's own route, for comparison."""
    return Page.route(root, None, components)


def test_a_deep_page_is_found_with_its_ancestors_in_one_query():
    union = make_union("routing")
    employer = make_employer(union)
    workplace = make_workplace(employer)
    root = union.root_page.specific
    components = _path(union, workplace)
    with CaptureQueriesContext(connection) as queries:
        result = route_in_one_query(root, None, components)
    # One query for the whole line, one for the page's specific row.
    assert len(queries) == 2
    assert result.page == workplace
    assert isinstance(result.page, WorkplacePage)
    assert _walk(root, components).page == result.page
    # Breadcrumbs come from the route: the union's page, the index, the employer.
    with CaptureQueriesContext(connection) as queries:
        crumbs = result.page.breadcrumb_pages()
    assert len(queries) == 0
    assert [p.pk for p in crumbs] == [p.pk for p in workplace.get_ancestors()[1:]]


def test_the_same_slug_under_two_parents_routes_to_the_right_one():
    union = make_union("routing-twins")
    first, second = make_employer(union), make_employer(union)
    one = first.add_child(instance=WorkplacePage(title="Depot", slug="depot",
                                                 union_id=union.pk, employer=first))
    two = second.add_child(instance=WorkplacePage(title="Depot", slug="depot",
                                                  union_id=union.pk, employer=second))
    root = union.root_page.specific
    assert route_in_one_query(root, None, _path(union, one)).page == one
    assert route_in_one_query(root, None, _path(union, two)).page == two


def test_a_missing_slug_falls_back_and_is_not_found():
    union = make_union("routing-404")
    branch = make_branch(union)
    client = Client(HTTP_HOST=union.site.hostname)
    assert client.get(branch.url).status_code == 200
    assert route_in_one_query(union.root_page.specific, None, [*_path(union, branch), "x"]) is None
    assert client.get(branch.url + "no-such-page/").status_code == 404


def test_unpublished_pages_answer_as_in_wagtail():
    union = make_union("routing-live")
    employer = make_employer(union)
    workplace = make_workplace(employer)
    client = Client(HTTP_HOST=union.site.hostname)
    workplace.unpublish()
    assert client.get(workplace.url_path[len(union.root_page.url_path) - 1:]).status_code == 404
    workplace.refresh_from_db()
    workplace.save_revision().publish()
    # Wagtail serves a live page below an unpublished one; so does the one-query route.
    employer.unpublish()
    assert client.get(workplace.url_path[len(union.root_page.url_path) - 1:]).status_code == 200


def test_a_view_restriction_on_an_ancestor_still_protects_the_page():
    union = make_union("routing-private")
    employer = make_employer(union)
    workplace = make_workplace(employer)
    PageViewRestriction.objects.create(page=employer, restriction_type=PageViewRestriction.LOGIN)
    response = Client(HTTP_HOST=union.site.hostname).get(workplace.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_view_restrictions_of_the_home_page_and_below_count_at_once():
    """The home page (the cached root, hosts.localized_root) and routed pages read their
    restrictions from SQL compiled once per depth; the rows are asked on every view, so a
    restriction added or removed counts on the next request."""
    from portal.union import compiled

    union = make_union("routing-home-private")
    workplace = make_workplace(make_employer(union))
    client = Client(HTTP_HOST=union.site.hostname)
    workplace_url = workplace.url_path[len(union.root_page.url_path) - 1:]
    assert client.get("/").status_code == 200 and client.get(workplace_url).status_code == 200
    assert compiled.COMPILED.get(("view-restrictions", 2)) is not None  # home and tree root
    restriction = PageViewRestriction.objects.create(
        page=union.root_page, restriction_type=PageViewRestriction.LOGIN)
    for url in ("/", workplace_url):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    restriction.delete()
    assert client.get("/").status_code == 200 and client.get(workplace_url).status_code == 200
    # On the page itself: routing's rows say so, the restrictions are read and applied.
    PageViewRestriction.objects.create(page=workplace, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(workplace_url).status_code == 302


def test_routing_runs_its_sql_compiled_once_and_loads_whole_pages():
    """The route's two queries run from SQL Django compiled once per shape
    (union/compiled.py), and the pages come back with every field loaded, like the ORM's."""
    from portal.union import compiled

    union = make_union("compiled")
    employer = make_employer(union)
    workplace = make_workplace(employer)
    root = union.root_page.specific
    components = _path(union, workplace)
    compiled.COMPILED.clear()
    first = route_in_one_query(root, None, components)
    shapes = {shape[0]: sql for shape, sql in compiled.COMPILED.items()
              if shape[0] in ("candidates", "specific")}
    # Both shapes compiled and checked against Django's own parameters (None = fallback).
    assert shapes.keys() == {"candidates", "specific"} and all(shapes.values())
    second = route_in_one_query(root, None, components)  # from the compiled SQL
    for result in (first, second):
        page = result.page
        assert isinstance(page, WorkplacePage) and page.pk == workplace.pk
        assert page.get_deferred_fields() == set()
        assert page.employer_id == workplace.employer_id and page.title == workplace.title
    # Another employer's workplace of the same shape routes to itself, not the first.
    other = make_workplace(make_employer(union))
    assert route_in_one_query(root, None, _path(union, other)).page.pk == other.pk
