"""Union A never sees union B: sign-in, person pages, page trees, scoped managers."""

from django.test import Client

from portal.branches.models import BranchPage
from portal.people.models import Person
from portal.union.models import Role
from tests.factories import PASSWORD, make_branch, make_person, make_union
from tests.shared import module_world


def _build_two_unions():
    a, b = make_union("ta"), make_union("tb")
    branch_a, branch_b = make_branch(a), make_branch(b)
    staff_a = make_person(a, roles=(Role.STAFF,))
    admin_a = make_person(a, roles=(Role.ADMIN,))
    canary = make_person(b, branch=branch_b, first_name="Canary", user=False)
    member_b = make_person(b, branch=branch_b, roles=(Role.MEMBER,))
    return {"a": a, "b": b, "branch_a": branch_a, "branch_b": branch_b, "staff_a": staff_a,
            "admin_a": admin_a, "canary": canary, "member_b": member_b}


two_unions_rows, two_unions = module_world(_build_two_unions, name="two_unions")


def test_an_account_cannot_sign_in_on_another_unions_site(two_unions):
    staff_a = two_unions["staff_a"]
    on_b = Client(HTTP_HOST=two_unions["b"].site.hostname)
    response = on_b.post("/accounts/login/", {"username": staff_a.user.email,
                                               "password": PASSWORD})
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in on_b.session
    on_a = Client(HTTP_HOST=two_unions["a"].site.hostname)
    response = on_a.post("/accounts/login/", {"username": staff_a.user.email,
                                               "password": PASSWORD})
    assert response.status_code == 302


def test_staff_of_a_cannot_open_a_person_of_b(two_unions):
    client = Client(HTTP_HOST=two_unions["a"].site.hostname)
    client.force_login(two_unions["admin_a"].user)
    assert client.get(f"/people/{two_unions['canary'].pk}/").status_code == 404


def test_a_person_page_of_b_is_not_served_on_b_to_a_session(two_unions):
    # A session of A's admin presented on B's hostname is a visitor there: asked to sign
    # in, and sees nothing of B (tests/test_cross_tenant_urls.py sweeps every URL).
    client = Client(HTTP_HOST=two_unions["b"].site.hostname)
    client.force_login(two_unions["admin_a"].user)
    response = client.get(f"/people/{two_unions['canary'].pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.get(two_unions["branch_b"].url)
    assert b"Canary" not in response.content


def test_scoped_managers_return_only_the_union(two_unions):
    a, b = two_unions["a"], two_unions["b"]
    assert not Person.objects.for_union(a).filter(pk=two_unions["canary"].pk).exists()
    assert set(BranchPage.objects.for_union(b)) == {two_unions["branch_b"]}
    assert not Person.objects.for_union(None).exists()
    assert not Person.objects.for_site(None).exists()
    assert Person.objects.for_site(b.site).filter(pk=two_unions["canary"].pk).exists()


def test_admin_explorer_of_a_does_not_list_b(two_unions):
    client = Client(HTTP_HOST=two_unions["a"].site.hostname)
    client.force_login(two_unions["admin_a"].user)
    response = client.get(f"/admin/pages/{two_unions['b'].root_page_id}/")
    assert response.status_code in (302, 403, 404)
    response = client.get("/admin/pages/search/?q=Branch")
    assert response.status_code == 200
    assert two_unions["branch_b"].title.encode() not in response.content
