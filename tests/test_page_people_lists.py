"""Who gets the people lists on organisation pages (can_manage_page): staff and the
page's own officials; not members, not officials of other pages, not other unions."""

import pytest
from django.test import Client

from portal.people.models import PositionKind
from portal.union.models import Role
from tests.factories import (
    appoint,
    make_branch,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)


@pytest.mark.django_db
def test_people_lists_only_for_staff_and_the_pages_officials():
    union, other = make_union("pl"), make_union("pl2")
    branch, other_branch = make_branch(union), make_branch(union)
    employer = make_employer(union)
    workplace, other_workplace = make_workplace(employer), make_workplace(employer)
    member = make_person(union, branch=branch, workplace=workplace, roles=(Role.MEMBER,))
    chair = make_person(union, branch=branch)
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    other_chair = make_person(union, branch=other_branch)
    appoint(other_chair, PositionKind.BRANCH_CHAIR, other_branch)
    steward = make_person(union, workplace=workplace)
    appoint(steward, PositionKind.SHOP_STEWARD, workplace)
    staff = make_person(union, roles=(Role.STAFF,))
    staff_other = make_person(other, roles=(Role.STAFF,))

    def sees(person, page, key):
        client = Client(HTTP_HOST=person.union.site.hostname)
        client.force_login(person.user)
        response = client.get(page.url_path[len(union.root_page.url_path) - 1:],
                              HTTP_HOST=union.site.hostname)
        return response.status_code == 200 and response.context[key] is not None

    assert sees(chair, branch, "members")
    assert sees(staff, branch, "members")
    assert not sees(member, branch, "members")
    assert not sees(other_chair, branch, "members")
    assert not sees(steward, branch, "members")
    assert not sees(staff_other, branch, "members")

    assert sees(steward, workplace, "employees") and sees(steward, workplace, "density")
    assert sees(staff, workplace, "employees")
    assert not sees(steward, other_workplace, "employees")
    assert not sees(member, workplace, "employees")
    assert not sees(chair, workplace, "density")
    assert sees(staff, employer, "employees")
    assert not sees(steward, employer, "employees")  # a workplace steward, not the employer's


@pytest.mark.django_db
def test_a_plain_member_is_answered_without_permission_queries(django_assert_num_queries):
    from django.test import RequestFactory

    from portal.access.roles import can_manage_page, roles_for

    union = make_union("pq")
    branch = make_branch(union)
    member = make_person(union, branch=branch, roles=(Role.MEMBER,))
    request = RequestFactory().get("/")
    request.user, request.union = member.user, union
    roles_for(member.user, union)  # the request has its roles already (base template)
    with django_assert_num_queries(0):
        assert not can_manage_page(request, branch)


@pytest.mark.django_db
def test_officials_link_to_their_person_pages_on_union_and_branch_pages():
    """The cards carry their person page's address (built with the cached card)."""
    union = make_union("official-links")
    branch = make_branch(union)
    chair = make_person(union, branch=branch)
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    board = make_person(union)
    appoint(board, PositionKind.UNION_BOARD_MEMBER, union.root_page)
    member = make_person(union, branch=branch, roles=(Role.MEMBER,))
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(member.user)
    assert f'href="/people/{board.pk}/"' in client.get("/").content.decode()
    assert f'href="/people/{chair.pk}/"' in client.get(branch.relative_url(union.site)) \
        .content.decode()
