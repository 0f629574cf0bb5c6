"""What a union's pages, forms and links refer to stays inside the union (issue 12).

- item 2: an organisation page's relations (an employer's collective agreements, the
  union page's logo) are the union's own, in the editor, on any save, in the database;
- item 3: an email address is unique per union; sign-in, reset, invitations and the
  account forms look it up in the site's union only;
- item 4: rich-text links and images resolve only inside the union, only to live pages;
- item 5: the privacy dialog offers only the union's groups;
- item 7: the person page shows exactly what its audit entry lists, for every viewer.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from portal.union.models import Role
from portal.workplaces.models import EmployerPage
from tests.factories import make_agreement, make_employer, make_person, make_union
from tests.shared import module_world


def _build_unions():
    a, b = make_union("sca", name="Alphaunion"), make_union("scb", name="Zetaunion")
    return {
        "a": a,
        "b": b,
        "admin_a": make_person(a, roles=(Role.ADMIN,)).user,
        "employer_a": make_employer(a, title="Alpha employer"),
        "agreement_a": make_agreement(a, title="Alpha agreement"),
        "agreement_b": make_agreement(b, title="Zeta agreement"),
    }


unions_rows, unions = module_world(_build_unions, name="unions")


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


def test_the_brand_logo_and_favicon_are_only_from_the_unions_collection(unions):
    from themes.models import BrandSettings

    a, b = unions["a"], unions["b"]
    foreign, own = _image(b, "Zeta mark"), _image(a, "Alpha mark")
    brand = BrandSettings.for_site(a.site)
    brand.logo, brand.favicon = foreign, foreign
    with pytest.raises(ValidationError) as error:
        brand.full_clean()
    assert set(error.value.message_dict) == {"logo", "favicon"}
    brand.logo, brand.favicon = own, own
    brand.full_clean()

    # Through the admin's settings form too: a posted foreign id is refused.
    client = _client(a, unions["admin_a"])
    url = f"/admin/settings/themes/brandsettings/{a.site.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(url, {"primary_colour": "", "secondary_colour": "",
                                 "logo": foreign.pk, "favicon": "", "font": "system"})
    assert response.status_code == 200  # the form again, with its error
    assert BrandSettings.for_site(a.site).logo_id is None


# --- item 3: an address is unique within a union, and looked up only there ----------

SHARED = "shared.person@example.org"
TAKEN = "Another account of this union has this email address."


@pytest.fixture
def twins(unions, mailoutbox):
    """Two accounts with one address, one in each union, each with its own password."""
    from portal.accounts.actions import create_user

    a, b = unions["a"], unions["b"]
    twin_a = create_user(email=SHARED, union=a, password="alpha-password-1",
                         roles=(Role.MEMBER,))
    twin_b = create_user(email=SHARED.upper(), union=b, password="zeta-password-2",
                         roles=(Role.MEMBER,))
    return {**unions, "twin_a": twin_a, "twin_b": twin_b}


def _sign_in(union, email, password):
    client = Client(HTTP_HOST=union.site.hostname)
    client.post("/accounts/login/", {"username": email, "password": password})
    return client.session.get("_auth_user_id")


def test_one_address_signs_in_to_each_union_with_its_own_password(twins):
    a, b = twins["a"], twins["b"]
    assert _sign_in(a, SHARED, "alpha-password-1") == str(twins["twin_a"].pk)
    assert _sign_in(b, SHARED, "zeta-password-2") == str(twins["twin_b"].pk)
    assert _sign_in(a, SHARED, "zeta-password-2") is None
    assert _sign_in(b, SHARED, "alpha-password-1") is None


def test_the_admin_adds_an_address_that_another_union_uses(unions):
    from portal.accounts.actions import create_user
    from portal.accounts.models import User

    create_user(email="taken@example.org", union=unions["b"], roles=(Role.MEMBER,))
    client = _client(unions["a"], unions["admin_a"])
    response = client.post("/admin/users/new/", {"email": "Taken@example.org",
                                                  "first_name": "N", "last_name": "M",
                                                  "roles": [Role.MEMBER]})
    assert response.status_code == 302, response.content[:2000]
    assert User.objects.filter(union=unions["a"], email__iexact="taken@example.org").exists()
    # Within the union the address is taken, whatever its case.
    response = client.post("/admin/users/new/", {"email": "TAKEN@example.org",
                                                  "first_name": "N", "last_name": "M",
                                                  "roles": [Role.MEMBER]})
    assert response.status_code == 200
    with translation.override("fi"):  # the union's language
        assert gettext(TAKEN) in response.text
    assert User.objects.filter(email__iexact="taken@example.org").count() == 2


def test_editing_an_account_to_another_unions_address_says_nothing_about_it(twins):
    from wagtail.admin.forms.account import NameEmailForm

    from portal.accounts.models import User

    client = _client(twins["a"], twins["admin_a"])
    other = make_person(twins["a"], roles=(Role.MEMBER,)).user
    response = client.post(f"/admin/users/edit/{other.pk}/", {
        "email": "Zeta-only@example.org", "first_name": "O", "last_name": "P",
        "is_active": "on", "roles": [Role.MEMBER]})
    assert response.status_code == 302, response.content[:2000]
    # The own-account form (Wagtail's "name and email") of a user of B: the address of
    # A's account is B's business only if B has it.
    twin_b = twins["twin_b"]
    form = NameEmailForm(instance=twin_b, data={"first_name": "T", "last_name": "B",
                                                "email": "zeta-only@example.org"})
    assert form.is_valid(), form.errors
    form = NameEmailForm(instance=User.objects.get(pk=other.pk),
                         data={"first_name": "O", "last_name": "P", "email": SHARED})
    assert not form.is_valid()
    assert form.errors["email"] == [gettext(TAKEN)]


def test_password_reset_and_invitation_stay_in_the_union(twins, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    from portal.accounts.actions import create_account, request_password_reset

    a, b = twins["a"], twins["b"]
    with django_capture_on_commit_callbacks(execute=True):
        request_password_reset(email=SHARED, union=a)
    assert [message.to for message in mailoutbox] == [[twins["twin_a"].email]]
    assert a.site.hostname in mailoutbox[0].body and b.site.hostname not in mailoutbox[0].body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_password_reset(email=SHARED.title(), union=b)
    assert [message.to for message in mailoutbox] == [[twins["twin_b"].email]]
    assert b.site.hostname in mailoutbox[0].body
    mailoutbox.clear()
    # An invitation to an address B also uses goes to A's new account, on A's site.
    with django_capture_on_commit_callbacks(execute=True):
        account = create_account(union=a, email=SHARED.replace("shared", "other"),
                                 acting_user=twins["admin_a"])
        create_account(union=b, email=account.email, acting_user=make_person(
            b, roles=(Role.ADMIN,)).user)
    assert len(mailoutbox) == 2
    assert [a.site.hostname in m.body for m in mailoutbox] == [True, False]


# --- item 4: rich-text links and images resolve only inside the union, only when live --


@pytest.fixture
def linked(unions):
    """Union A's pages whose rich text refers to B's page, document and image, to A's
    draft, and to A's own live page and document."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from portal.pages.models import ContentPage
    from tests.factories import make_branch, make_bulletin

    a, b = unions["a"], unions["b"]
    branch_a, branch_b = make_branch(a, title="Alpha branch"), make_branch(b, title="Zeta branch")
    draft_a = a.root_page.add_child(instance=ContentPage(
        title="Alpha draft", slug="alpha-secret-draft", union=a, live=False))
    document_model = get_document_model()
    document_b = document_model.objects.create(
        title="Zeta document", collection=Collection.objects.get(name=b.name),
        file=ContentFile(b"zeta", name="zeta-document.txt"))
    document_a = document_model.objects.create(
        title="Alpha document", collection=Collection.objects.get(name=a.name),
        file=ContentFile(b"alpha", name="alpha-document.txt"))
    image_b = _image(b, "Zeta image")
    body = (
        f'<p><a linktype="page" id="{branch_b.pk}">foreign page</a> '
        f'<a linktype="page" id="{draft_a.pk}">own draft</a> '
        f'<a linktype="page" id="{branch_a.pk}">own page</a> '
        f'<a linktype="document" id="{document_b.pk}">foreign document</a> '
        f'<a linktype="document" id="{document_a.pk}">own document</a> '
        f'<a linktype="page" id="99999999999999999999">huge id</a></p>'
        f'<embed embedtype="image" id="{image_b.pk}" format="fullwidth" alt="zeta alt"/>'
    )
    bulletin = make_bulletin(branch_a, title="Alpha bulletin")
    page = a.root_page.add_child(instance=ContentPage(title="Alpha content", slug="content",
                                                      union=a))
    # As stored before the links were checked on save: straight into the rows.
    type(bulletin).objects.filter(pk=bulletin.pk).update(body=body)
    ContentPage.objects.filter(pk=page.pk).update(body=body)
    return {**unions, "branch_a": branch_a, "branch_b": branch_b, "draft_a": draft_a,
            "document_a": document_a, "document_b": document_b, "image_b": image_b,
            "bulletin": type(bulletin).objects.get(pk=bulletin.pk),
            "page": ContentPage.objects.get(pk=page.pk), "body": body}


def _assert_only_own_links(html: str, s) -> None:
    assert s["branch_a"].url in html  # the union's own live page is a link
    assert s["document_a"].url in html
    assert s["b"].site.hostname not in html  # nothing of B: neither its address...
    assert s["branch_b"].slug not in html
    assert s["document_b"].file.name not in html and "zeta-document" not in html
    assert "Zeta image" not in html and "original_images" not in html  # ...nor its image
    assert s["draft_a"].slug not in html  # nor a draft's address
    for text in ("foreign page", "own draft", "foreign document", "huge id", "zeta alt"):
        assert text in html  # the words stay, as plain text


def test_a_published_page_links_only_inside_its_union(linked):
    response = Client(HTTP_HOST=linked["a"].site.hostname).get(linked["page"].url)
    assert response.status_code == 200
    _assert_only_own_links(response.text, linked)


def test_a_bulletins_preview_and_email_link_only_inside_its_union(linked, mailoutbox):
    from portal.messaging.email import render_bulletin

    bulletin = linked["bulletin"]
    bulletin.save_revision(clean=False)  # the draft the preview shows carries the body
    staff = make_person(linked["a"], roles=(Role.STAFF,)).user
    client = _client(linked["a"], staff)
    for suffix in ("", "?as=email"):
        response = client.get(f"/bulletins/{bulletin.pk}/preview/{suffix}")
        assert response.status_code == 200
        _assert_only_own_links(response.text, linked)
    # The email, rendered by the task worker outside any request.
    rendered = render_bulletin(bulletin, root_url=linked["a"].site.root_url, language="fi")
    _assert_only_own_links(rendered.html, linked)
    assert linked["b"].site.hostname not in rendered.text
    assert linked["draft_a"].slug not in rendered.text


def test_references_resolve_in_the_union_being_rendered_for(linked):
    # The same text rendered for B resolves B's page and nothing of A's; for no union,
    # nothing at all.
    from wagtail.rich_text import expand_db_html

    from portal.union.richtext import rendering_for

    with rendering_for(linked["b"]):
        html = expand_db_html(linked["body"])
    assert f'href="{linked["branch_b"].url}"' in html
    assert linked["branch_a"].url not in html and linked["document_a"].url not in html
    assert "<img" in html  # B's image in B's own text
    with rendering_for(None):
        html = expand_db_html(linked["body"])
    assert "href" not in html and "<img" not in html


def test_saving_drops_references_into_another_union(linked):
    page = linked["page"]
    page.body = linked["body"]
    page.save_revision().publish()
    page.refresh_from_db()
    assert f'id="{linked["branch_b"].pk}"' not in page.body
    assert f'id="{linked["document_b"].pk}"' not in page.body
    assert "embedtype" not in page.body
    assert f'id="{linked["draft_a"].pk}"' in page.body  # the union's own draft stays linked
    assert f'id="{linked["branch_a"].pk}"' in page.body
    assert "foreign page" in page.body and "foreign document" in page.body


# --- item 5: the privacy dialog offers only the union's groups -----------------------


def test_the_privacy_dialog_offers_and_accepts_only_the_unions_groups(unions):
    from wagtail.models import PageViewRestriction

    a, b = unions["a"], unions["b"]
    page = unions["employer_a"]
    client = _client(a, unions["admin_a"])
    url = f"/admin/pages/{page.pk}/privacy/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.json()["html"]
    for role in (Role.MEMBER, Role.STAFF):
        assert f'value="{a.role_group(role).pk}"' in html
        assert f'value="{b.role_group(role).pk}"' not in html
    assert "scb:" not in html and "sca:" not in html  # roles by name, not group names
    response = client.post(url, {"restriction_type": "groups",
                                 "groups": [b.role_group(Role.MEMBER).pk]})
    assert response.json()["step"] == "set_privacy"  # the form again, with its error
    assert not PageViewRestriction.objects.filter(page=page).exists()
    response = client.post(url, {"restriction_type": "groups",
                                 "groups": [a.role_group(Role.MEMBER).pk]})
    assert response.json()["step"] == "set_privacy_done"
    restriction = PageViewRestriction.objects.get(page=page)
    assert list(restriction.groups.all()) == [a.role_group(Role.MEMBER)]


def test_the_collection_privacy_dialog_offers_only_the_unions_groups(unions):
    from tests.factories import UserFactory

    # Union admins do not manage collections; a superuser of the union does.
    a, b = unions["a"], unions["b"]
    client = _client(a, UserFactory(union=a, is_superuser=True))
    collection = Collection.objects.get(name=a.name)
    response = client.get(f"/admin/collections/{collection.pk}/privacy/")
    assert response.status_code == 200
    html = response.json()["html"]
    assert f'value="{a.role_group(Role.MEMBER).pk}"' in html
    assert f'value="{b.role_group(Role.MEMBER).pk}"' not in html


# --- item 7: the person page shows what its audit entry lists, for every viewer -------


@pytest.fixture
def person_page(db):
    """A person with every field filled, an official (so members see them), and one
    viewer of each kind."""
    import datetime as dt

    from portal.people import actions as people_actions
    from portal.people.models import PositionKind
    from tests.factories import appoint, make_branch, make_workplace

    union = make_union("scp", name="Personunion")
    branch, other_branch = make_branch(union), make_branch(union)
    workplace = make_workplace(make_employer(union))
    target = make_person(union, branch=branch, workplace=workplace, roles=(Role.MEMBER,),
                         alternative_name="Пример", phone="+358 40 123 4567",
                         street_address="Katu 1", postal_code="00100", city="Helsinki",
                         joined_on=dt.date(2015, 5, 1))
    appoint(target, PositionKind.SHOP_STEWARD, workplace)
    people_actions.add_training(person=target, name="Basic steward course",
                                provider="Union college", completed_on=dt.date(2021, 3, 1))
    in_scope = make_person(union, branch=branch, roles=(Role.MEMBER,))
    appoint(in_scope, PositionKind.BRANCH_CHAIR, branch)
    out_of_scope = make_person(union, branch=other_branch, roles=(Role.MEMBER,))
    appoint(out_of_scope, PositionKind.BRANCH_CHAIR, other_branch)
    return {
        "union": union,
        "target": target,
        "viewers": {
            "member": make_person(union, branch=other_branch, roles=(Role.MEMBER,)).user,
            "official in scope": in_scope.user,
            "official out of scope": out_of_scope.user,
            "staff": make_person(union, roles=(Role.STAFF,)).user,
            "admin": make_person(union, roles=(Role.ADMIN,)).user,
            "self": target.user,
        },
    }


EXPECTED_LEVEL = {
    "member": "OFFICIAL_CONTACT", "official in scope": "SCOPE",
    "official out of scope": "OFFICIAL_CONTACT", "staff": "FULL", "admin": "FULL",
    "self": "OWN",
}


@pytest.mark.parametrize("viewer", list(EXPECTED_LEVEL))
def test_the_person_page_shows_exactly_what_its_audit_entry_lists(person_page, viewer):
    import re

    from portal.audit.models import AuditEntry
    from portal.people.scopes import VISIBLE_FIELDS, Visibility

    target = person_page["target"]
    client = _client(person_page["union"], person_page["viewers"][viewer])
    response = client.get(f"/people/{target.pk}/")
    assert response.status_code == 200
    shown = set(re.findall(r'data-field="([a-z_]+)"', response.text))
    entry = AuditEntry.objects.filter(person_id=target.pk, action="view",
                                      target=f"/people/{target.pk}/").latest("created_at")
    assert shown == set(entry.fields)
    assert tuple(entry.fields) == VISIBLE_FIELDS[Visibility[EXPECTED_LEVEL[viewer]]]
    # Trainings only for the person themself and the union's staff and admins.
    assert ("Basic steward course" in response.text) == (viewer in ("self", "staff", "admin"))
