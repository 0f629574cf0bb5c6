"""What a union's pages, forms and links refer to stays inside the union (issue 12).

Relations of organisation pages (item 2): an employer's collective agreements and the
union page's logo can only be the union's own, in the editor, on any save and in the
database.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from portal.union.models import Role
from portal.workplaces.models import EmployerPage
from tests.factories import make_agreement, make_employer, make_person, make_union


@pytest.fixture
def unions(db):
    a, b = make_union("sca", name="Alphaunion"), make_union("scb", name="Zetaunion")
    return {
        "a": a,
        "b": b,
        "admin_a": make_person(a, roles=(Role.ADMIN,)).user,
        "employer_a": make_employer(a, title="Alpha employer"),
        "agreement_a": make_agreement(a, title="Alpha agreement"),
        "agreement_b": make_agreement(b, title="Zeta agreement"),
    }


def _client(union, user):
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(user)
    return client


def _employer_form(employer, agreements):
    data = nested_form_data({
        "title": employer.title, "slug": employer.slug, "business_id": employer.business_id,
        "industry": "", "street_address": "", "postal_code": "", "city": "",
        "comments": inline_formset([]),
    })
    return {**data, "agreements": [agreement.pk for agreement in agreements]}


# --- item 2: an employer's agreements -------------------------------------------------


def test_the_employer_editor_offers_only_the_unions_agreements(unions):
    client = _client(unions["a"], unions["admin_a"])
    response = client.get(f"/admin/pages/{unions['employer_a'].pk}/edit/")
    assert response.status_code == 200
    assert b"Alpha agreement" in response.content
    assert b"Zeta agreement" not in response.content


def test_the_employer_editor_refuses_another_unions_agreement(unions):
    client = _client(unions["a"], unions["admin_a"])
    employer = unions["employer_a"]
    response = client.post(f"/admin/pages/{employer.pk}/edit/",
                           _employer_form(employer, [unions["agreement_b"]]))
    assert response.status_code == 200  # the form again, with its error
    employer.refresh_from_db()
    assert not employer.agreements.exists()
    assert not employer.get_latest_revision() or not (
        employer.get_latest_revision().content.get("agreements"))
    assert not unions["agreement_b"].employers.exists()
    # The union's own agreement is accepted.
    response = client.post(f"/admin/pages/{employer.pk}/edit/",
                           {**_employer_form(employer, [unions["agreement_a"]]),
                            "action-publish": "action-publish"})
    assert response.status_code == 302
    assert list(EmployerPage.objects.get(pk=employer.pk).agreements.all()) == [
        unions["agreement_a"]]


def test_a_foreign_agreement_is_refused_on_every_save_path(unions):
    employer, agreement_b = unions["employer_a"], unions["agreement_b"]
    # The model's validation: full_clean and Wagtail's save_revision.
    employer.agreements = [agreement_b]
    with pytest.raises(ValidationError) as error:
        employer.full_clean()
    assert "agreements" in error.value.message_dict
    with pytest.raises(ValidationError), transaction.atomic():
        employer.save_revision()
    # The database relation, from either side, whatever code writes it.
    employer = EmployerPage.objects.get(pk=employer.pk)
    employer.agreements.add(agreement_b)  # in memory until the page is saved
    with pytest.raises(ValidationError), transaction.atomic():
        employer.save(clean=False)
    with pytest.raises(ValidationError), transaction.atomic():
        agreement_b.employers.add(employer)
    assert not EmployerPage.agreements.through.objects.filter(
        collectiveagreementpage=agreement_b).exists()
    # The own union's agreement goes through every path.
    employer = EmployerPage.objects.get(pk=employer.pk)
    employer.agreements.add(unions["agreement_a"])
    employer.save()
    assert list(unions["agreement_a"].employers.all()) == [employer]


def test_the_database_refuses_a_cross_union_agreement_row(unions, postgres):
    through = EmployerPage.agreements.through
    employer = unions["employer_a"]
    with pytest.raises(IntegrityError), transaction.atomic():
        through.objects.bulk_create([through(employerpage=employer,
                                             collectiveagreementpage=unions["agreement_b"])])
    through.objects.bulk_create([through(employerpage=employer,
                                         collectiveagreementpage=unions["agreement_a"])])
    assert through.objects.filter(employerpage=employer).count() == 1


def test_the_migration_removes_cross_union_agreement_links(unions, postgres):
    employer, agreement_a, agreement_b = (
        unions["employer_a"], unions["agreement_a"], unions["agreement_b"])
    through = EmployerPage.agreements.through
    # Rows written before the guards existed: triggers are off while they are written.
    with postgres.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        through.objects.bulk_create([
            through(employerpage_id=employer.pk, collectiveagreementpage_id=agreement_a.pk),
            through(employerpage_id=employer.pk, collectiveagreementpage_id=agreement_b.pk),
        ])
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    employer.title = "Alpha employer, draft"
    revision = employer.save_revision(clean=False)
    revision.content["agreements"] = [agreement_a.pk, agreement_b.pk]
    revision.save(update_fields=["content"])
    migration = importlib.import_module(
        "portal.workplaces.migrations.0002_remove_cross_union_links")
    migration.remove_cross_union_links(django_apps, None)
    assert list(through.objects.values_list("collectiveagreementpage_id", flat=True)) == [
        agreement_a.pk]
    revision.refresh_from_db()
    assert revision.content["agreements"] == [agreement_a.pk]
    assert not agreement_b.employers.exists()


# --- item 2: the union page's logo ----------------------------------------------------


def _image(union, title):
    return get_image_model().objects.create(
        title=title, collection=Collection.objects.get(name=union.name),
        file=get_test_image_file(f"{union.slug}.png"))


def test_the_union_page_logo_is_only_from_the_unions_collection(unions):
    a, b = unions["a"], unions["b"]
    foreign, own = _image(b, "Zeta logo"), _image(a, "Alpha logo")
    page = a.root_page.specific
    page.logo = foreign
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "logo" in error.value.message_dict
    page.logo = own
    page.full_clean()
    page.save()
    form_class = type(page).get_edit_handler().get_form_class()
    form = form_class(instance=page, for_user=unions["admin_a"])
    assert list(form.fields["logo"].queryset) == [own]

    page.logo = foreign
    page.save(clean=False)
    migration = importlib.import_module(
        "portal.workplaces.migrations.0002_remove_cross_union_links")
    migration.clear_foreign_logos(django_apps, None)
    page.refresh_from_db()
    assert page.logo_id is None
