"""An employer's business ID is unique in its union (the register's key for it): the
page editor refuses a taken one, for a new page as for an edited one; another union
may have it, and so may a translation of the page."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from portal.union.models import Role
from portal.workplaces.models import EmployerIndexPage, EmployerPage
from tests.factories import make_employer, make_person, make_union, publish_translation

pytestmark = pytest.mark.usefixtures("postgres")


def _form(title, business_id, slug):
    return {**nested_form_data({
        "title": title, "slug": slug, "business_id": business_id, "industry": "",
        "street_address": "", "postal_code": "", "city": "", "comments": inline_formset([]),
    }), "action-publish": "action-publish"}


def test_the_editor_refuses_a_business_id_the_union_has(db):
    a, b = make_union("bua"), make_union("bub")
    first = make_employer(a, title="First Oy")
    other_union = make_employer(b, title="Elsewhere Oy")
    client = Client(HTTP_HOST=a.site.hostname)
    client.force_login(make_person(a, roles=(Role.ADMIN,)).user)
    index = EmployerIndexPage.objects.for_union(a).get()
    add = f"/admin/pages/add/workplaces/employerpage/{index.pk}/"
    # Written without its dash, it is still the same ID.
    response = client.post(add, _form("Second Oy", first.business_id.replace("-", ""),
                                      "second-oy"))
    assert response.status_code == 200
    assert "First Oy" in str(response.context["form"].errors["business_id"])
    assert not EmployerPage.objects.filter(title="Second Oy").exists()
    # Another union's ID is free here.
    assert client.post(add, _form("Second Oy", other_union.business_id,
                                  "second-oy")).status_code == 302
    second = EmployerPage.objects.get(title="Second Oy")
    response = client.post(f"/admin/pages/{second.pk}/edit/",
                           _form("Second Oy", first.business_id, "second-oy"))
    assert response.status_code == 200 and "business_id" in response.context["form"].errors
    second.refresh_from_db()
    assert second.business_id == other_union.business_id
    # A translation of the page is the same employer: it keeps the ID.
    swedish = publish_translation(first, "sv", "Första Ab")
    assert swedish.business_id == first.business_id
