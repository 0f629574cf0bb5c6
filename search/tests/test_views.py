"""The results page and the autocomplete JSON: permissions, audit, shape; both engines."""

import pytest
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from portal.audit.models import AuditAction, AuditEntry
from portal.people.models import PositionKind
from portal.union.models import Role
from search.tests.conftest import sync
from tests.factories import appoint, make_branch, make_employer, make_person, make_union
from tests.shared import module_world

pytestmark = pytest.mark.django_db


def _build_site():
    union, other = make_union("sv1"), make_union("sv2")
    branch = make_branch(union, "Hakuosasto")
    make_employer(union, "Hakutyönantaja")
    make_branch(other, "Hakuosasto")
    chair = make_person(union, branch=branch, first_name="Hanna", last_name="Hakunen")
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    member = make_person(union, branch=branch, roles=(Role.MEMBER,), first_name="Heikki",
                         last_name="Hakunen")
    hidden = make_person(union, first_name="Helmi", last_name="Hakunen", user=False)
    staff = make_person(union, roles=(Role.STAFF,))
    outsider = make_person(other, roles=(Role.STAFF,), first_name="Olga", last_name="Hakunen")
    return {"union": union, "other": other, "chair": chair, "member": member, "hidden": hidden,
            "staff": staff, "outsider": outsider}


site_rows, site = module_world(_build_site, name="site")


def _client(site, person):
    client = Client(HTTP_HOST=site["union"].site.hostname)
    if person is not None:
        client.force_login(person.user)
    return client


def test_results_page_shows_what_the_member_may_see_and_logs_it(site, engine_name):
    sync()
    last = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    response = _client(site, site["member"]).get(reverse("search:results"), {"q": "Hakunen"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hanna Hakunen" in html and "Heikki Hakunen" in html
    assert "Helmi Hakunen" not in html and "Olga Hakunen" not in html
    logged = set(AuditEntry.objects.filter(pk__gt=last, action=AuditAction.LIST)
                 .values_list("person_id", flat=True))
    assert logged == {site["chair"].pk, site["member"].pk}
    entry = AuditEntry.objects.filter(pk__gt=last).first()
    assert entry.actor_id == site["member"].user_id and entry.union_id == site["union"].pk
    assert entry.request_id == response["X-Request-ID"]


def test_results_page_facets_and_kind_filter(site, engine_name):
    sync()
    client = _client(site, site["staff"])
    html = client.get(reverse("search:results"), {"q": "Haku"}).content.decode()
    assert 'aria-current="page"' in html
    assert "kind=branch" in html and "kind=employer" in html
    narrowed = client.get(reverse("search:results"), {"q": "Haku", "kind": "branch"})
    assert narrowed.context["results"].total == 1
    assert [h.kind for h in narrowed.context["results"].hits] == ["branch"]


def test_results_page_needs_a_sign_in(site, engine_name):
    response = _client(site, None).get(reverse("search:results"), {"q": "Hakunen"})
    assert response.status_code == 302


def test_autocomplete_json_shape_and_permissions(site, engine_name):
    sync()
    last = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    data = _client(site, site["member"]).get(reverse("search:autocomplete"),
                                             {"q": "Haku"}).json()
    types = [g["type"] for g in data["groups"]]
    assert types == ["people", "employers", "branches"]
    people = data["groups"][0]
    assert people["label"]
    assert {i["title"] for i in people["items"]} == {"Hanna Hakunen", "Heikki Hakunen"}
    for group in data["groups"]:
        for item in group["items"]:
            assert set(item) == {"title", "url", "subtitle"}
    chair_item = next(i for i in people["items"] if i["title"] == "Hanna Hakunen")
    assert chair_item["url"] == reverse("people:person_detail", args=[site["chair"].pk])
    assert chair_item["subtitle"] == str(PositionKind.BRANCH_CHAIR.label)
    assert AuditEntry.objects.filter(pk__gt=last, person_id=site["chair"].pk).exists()
    # Union B's staff on union A's site, and anonymous visitors, get nothing.
    other = Client(HTTP_HOST=site["union"].site.hostname)
    other.force_login(site["outsider"].user)
    assert other.get(reverse("search:autocomplete"), {"q": "Haku"}).json() == {"groups": []}
    assert _client(site, None).get(reverse("search:autocomplete"),
                                   {"q": "Haku"}).json() == {"groups": []}
