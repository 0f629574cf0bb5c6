"""Wagtail's admin page search shows staff only their own union's pages."""

import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.search.backends import get_search_backend

from portal.people.models import PositionKind
from portal.union.models import Role
from search.admin_views import UnionPageSearchView
from tests.factories import appoint, make_branch, make_employer, make_person, make_union
from tests.shared import module_world

pytestmark = pytest.mark.django_db


def _build_two_unions():
    a, b = make_union("ad1"), make_union("ad2")
    pages = {"a_branch": make_branch(a, "Yhteinen"), "a_employer": make_employer(a, "Yhteinen"),
             "b_branch": make_branch(b, "Yhteinen"), "b_employer": make_employer(b, "Yhteinen")}
    staff_a = make_person(a, roles=(Role.STAFF,))
    chair_a = make_person(a, branch=pages["a_branch"])
    appoint(chair_a, PositionKind.BRANCH_CHAIR, pages["a_branch"])
    staff_b = make_person(b, roles=(Role.STAFF,))
    call_command("update_index", verbosity=0)  # Wagtail's own index, on its configured backend
    return a, b, pages, staff_a, chair_a, staff_b


two_unions_rows, two_unions = module_world(_build_two_unions, name="two_unions")


def _admin_search(union, person, query="Yhteinen"):
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(person.user)
    response = client.get("/admin/pages/search/", {"q": query})
    assert response.status_code == 200
    return {page.pk for page in response.context["pages"]}


def test_staff_find_only_their_unions_pages(two_unions):
    a, b, pages, staff_a, chair_a, staff_b = two_unions
    assert _admin_search(a, staff_a) == {pages["a_branch"].pk, pages["a_employer"].pk}
    assert _admin_search(b, staff_b) == {pages["b_branch"].pk, pages["b_employer"].pk}
    # An official finds only what the page policy lets them explore.
    assert _admin_search(a, chair_a) <= {pages["a_branch"].pk}


def test_staff_filter_is_a_path_prefix_not_an_id_list(two_unions, rf):
    a, _b, _pages, staff_a, _chair_a, _staff_b = two_unions
    request = rf.get("/admin/pages/search/")
    request.user, request.union = staff_a.user, a
    view = UnionPageSearchView()
    view.request = request
    sql = str(view._pages_to_search().query)
    assert "LIKE" in sql and " IN (" not in sql


def test_admin_search_runs_on_elasticsearch_when_configured(two_unions, elasticsearch_url):
    backend = get_search_backend()
    assert type(backend).__name__ == "Elasticsearch8SearchBackend"
    a, _b, pages, staff_a, _chair_a, _staff_b = two_unions
    assert _admin_search(a, staff_a) == {pages["a_branch"].pk, pages["a_employer"].pk}
