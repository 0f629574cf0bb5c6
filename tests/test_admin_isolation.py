"""Union B's canaries never reach union A's admin or staff in the Wagtail admin.

A canary person, page, agreement, document, image, account and block live in union B,
and B's staff have worked on them (revisions, a lock, log entries), so every listing,
chooser, search, report and export of the admin has something of B's it could leak.
Union A's admin and staff then walk those views; the word "Canary" (and B's name)
must not appear in any response.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.log_actions import log
from wagtail.models import Collection

from portal.accounts.actions import block_user
from portal.people.models import PositionKind
from portal.union.models import Role
from tests.factories import (
    appoint,
    make_agreement,
    make_branch,
    make_bulletin,
    make_person,
    make_union,
)

B_NAME = "Zetaunion"


def _collection(union):
    return Collection.objects.get(name=union.name)


@pytest.fixture
def world(db, settings):
    # The database search backend: these tests are about the admin's own scoping; the
    # Elasticsearch side of admin search is covered by search/tests/test_admin_search.py.
    settings.ELASTICSEARCH_URL = ""
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database"}}
    a = make_union("isa", name="Alphaunion")
    b = make_union("isb", name=B_NAME)
    branch_a = make_branch(a, title="Alpha branch")
    make_bulletin(branch_a, title="Alpha bulletin")
    make_agreement(a, title="Alpha agreement")
    admin_a = make_person(a, roles=(Role.ADMIN,), first_name="Aadmin").user
    staff_a = make_person(a, roles=(Role.STAFF,), first_name="Astaff").user

    branch_b = make_branch(b, title="Canary branch")
    page_b = make_bulletin(branch_b, title="Canary bulletin")
    agreement_b = make_agreement(b, title="Canary agreement")
    staff_b = make_person(b, roles=(Role.STAFF,), first_name="Canarystaff").user
    admin_b = make_person(b, roles=(Role.ADMIN,), first_name="Canaryadmin").user
    canary = make_person(b, branch=branch_b, first_name="Canary", last_name="Canarysson")
    appoint(canary, PositionKind.UNION_BOARD_MEMBER, b.root_page)
    block_user(user=canary.user, reason="Canary reason", acting_user=admin_b)
    # B's staff at work: revisions, a publish and a lock, so the reports have B rows.
    page_b.title = "Canary bulletin edited"
    page_b.save_revision(user=staff_b).publish(user=staff_b)
    agreement_b.locked, agreement_b.locked_by = True, staff_b
    agreement_b.owner = staff_b
    agreement_b.save()
    agreement_b.save_revision(user=staff_b, log_action=True)
    document_b = get_document_model().objects.create(
        title="Canary document", collection=_collection(b),
        file=ContentFile(b"canary", name="canary.txt"), uploaded_by_user=staff_b)
    get_image_model().objects.create(
        title="Canary image", collection=_collection(b),
        file=get_test_image_file("canary.png"), uploaded_by_user=staff_b)
    log(instance=document_b, action="wagtail.create", user=staff_b)
    # A's own document and image, so choosers have something to list.
    get_document_model().objects.create(
        title="Alpha document", collection=_collection(a),
        file=ContentFile(b"alpha", name="alpha.txt"))
    get_image_model().objects.create(
        title="Alpha image", collection=_collection(a), file=get_test_image_file("alpha.png"))
    return {"a": a, "b": b, "admin_a": admin_a, "staff_a": staff_a, "canary": canary,
            "page_b": page_b, "agreement_b": agreement_b}


ADMIN_URLS = [
    "/admin/",
    "/admin/pages/",
    "/admin/pages/search/?q=Canary",
    "/admin/search/?q=Canary",
    "/admin/choose-page/",
    "/admin/choose-page/search/?q=Canary",
    "/admin/documents/",
    "/admin/documents/?q=Canary",
    "/admin/documents/chooser/",
    "/admin/documents/chooser/results/?q=Canary",
    "/admin/images/",
    "/admin/images/?q=Canary",
    "/admin/images/chooser/",
    "/admin/images/chooser/results/?q=Canary",
    "/admin/users/",
    "/admin/users/?q=Canary",
    "/admin/reports/locked/",
    "/admin/reports/locked/?export=csv",
    "/admin/reports/site-history/",
    "/admin/reports/site-history/?export=csv",
    "/admin/reports/aging-pages/",
    "/admin/reports/aging-pages/?export=csv",
    "/admin/reports/page-types-usage/",
    "/admin/reports/workflow/",
    "/admin/reports/workflow_tasks/",
    "/admin/snippets/",
    "/admin/union-admin/positions/",
    "/admin/union-admin/blacklist/",
    "/admin/union-admin/settings/",
]


# Not the bare word "Canary": a search box echoes its query.
CANARY_WORDS = (b"Canary bulletin", b"Canary branch", b"Canary agreement", b"Canary document",
                b"Canary image", b"Canarysson", b"Canarystaff", b"Canaryadmin",
                b"Canary reason", B_NAME.encode(), b"isb.localhost", b"isb: ", b"@isb.example")


def _walk(client, urls):
    leaks = []
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for word in CANARY_WORDS:
            if word in body:
                i = body.index(word)
                leaks.append((url, word, body[max(0, i - 150):i + 60]))
    return leaks


@pytest.mark.parametrize("who", ["admin_a", "staff_a"])
def test_no_canary_in_any_admin_listing_chooser_search_report_or_export(world, who):
    client = Client(HTTP_HOST=world["a"].site.hostname)
    client.force_login(world[who])
    # Sanity: the views do work and show A's own things.
    assert b"Alpha document" in client.get("/admin/documents/chooser/").content
    assert b"Alpha branch" in client.get("/admin/pages/search/?q=Alpha").content
    assert b"Alpha branch" in client.get("/admin/choose-page/search/?q=Alpha").content
    leaks = _walk(client, ADMIN_URLS)
    assert not leaks, leaks


def test_ids_of_b_objects_are_refused_to_a(world):
    client = Client(HTTP_HOST=world["a"].site.hostname)
    client.force_login(world["admin_a"])
    b = world["b"]
    document = get_document_model().objects.get(title="Canary document")
    image = get_image_model().objects.get(title="Canary image")
    position = world["canary"].positions.get()
    urls = [
        f"/admin/pages/{world['page_b'].pk}/edit/",
        f"/admin/pages/{world['agreement_b'].pk}/",
        f"/admin/pages/{b.root_page_id}/edit/",
        f"/admin/pages/{world['page_b'].pk}/history/",
        f"/admin/documents/edit/{document.pk}/",
        f"/admin/documents/usage/{document.pk}/",
        f"/admin/images/{image.pk}/",
        f"/admin/images/usage/{image.pk}/",
        f"/admin/users/edit/{world['canary'].user_id}/",
        f"/admin/users/history/{world['canary'].user_id}/",
        f"/admin/choose-page/{world['agreement_b'].get_parent().pk}/",
        f"/admin/choose-page/{b.root_page_id}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        for word in CANARY_WORDS:
            assert word not in response.content, (url, word)
    assert client.post(f"/admin/union-admin/positions/{position.pk}/end/").status_code == 404
    position.refresh_from_db()
    assert position.ends_on is None
    # Document downloads are served to A's session only for A's collection.
    response = client.get(f"/documents/{document.pk}/canary.txt")
    assert response.status_code in (403, 404)


def test_the_platform_operator_sees_no_personal_data(world):
    from portal.accounts.actions import create_platform_operator

    operator = create_platform_operator(email="operator@service.example")
    # On a union's hostname the operator is not signed in at all (TenantUserMiddleware).
    on_union = Client(HTTP_HOST=world["a"].site.hostname)
    on_union.force_login(operator)
    assert on_union.get("/admin/")["Location"].startswith("/accounts/login/")
    client = Client()  # the platform's hostname, which is no union's
    client.force_login(operator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/union-admin/unions/").status_code == 200
    leaks = []
    for url in [*ADMIN_URLS, "/admin/users/?q=Aadmin", "/admin/pages/search/?q=Alpha",
                f"/people/{world['canary'].pk}/"]:
        response = client.get(url, follow=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for word in (*CANARY_WORDS, b"Aadmin", b"Astaff", b"@isa.example"):
            if word in body and word != B_NAME.encode():
                leaks.append((url, word))
    assert not leaks, leaks
