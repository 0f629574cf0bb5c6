"""The policy's one-query version of instances_user_has_any_permission_for gives the same
pages as Wagtail's own, for grants and group permissions, incl. 'add implies edit own'."""

import pytest
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from portal.access.policy import UnionPagePermissionPolicy, _outermost
from portal.people.models import PositionKind
from portal.union.models import Role
from tests.factories import (
    appoint,
    make_branch,
    make_bulletin,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)


def test_outermost_keeps_only_enclosing_paths():
    assert _outermost({"0001", "00010002", "00010003", "0002"}) == {"0001", "0002"}
    assert _outermost({"00010002", "000100020001", "00010003"}) == {"00010002", "00010003"}
    assert _outermost(set()) == set()


@pytest.mark.django_db
def test_same_pages_as_wagtails_own_policy():
    union = make_union("pol")
    branch, other_branch = make_branch(union), make_branch(union)
    make_bulletin(branch)
    employer = make_employer(union)
    workplace = make_workplace(employer)
    board_member = make_person(union, branch=branch)
    appoint(board_member, PositionKind.BRANCH_BOARD_MEMBER, branch)  # add + change only
    own = make_bulletin(branch)
    Page.objects.filter(pk=own.pk).update(owner=board_member.user)
    chair = make_person(union, branch=branch, workplace=workplace)
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    appoint(chair, PositionKind.SHOP_STEWARD, workplace)
    staff = make_person(union, roles=(Role.STAFF,))
    ours = UnionPagePermissionPolicy(Page)
    theirs = PagePermissionPolicy(Page)
    theirs.get_all_permissions_for_user = ours.get_all_permissions_for_user
    for person in (board_member, chair, staff):
        for actions in ({"change"}, {"publish"}, {"add", "change", "publish"}, {"lock"}):
            user = type(person.user).objects.get(pk=person.user_id)
            expected = set(theirs.instances_user_has_any_permission_for(user, actions)
                           .values_list("pk", flat=True))
            user = type(person.user).objects.get(pk=person.user_id)
            got = set(ours.instances_user_has_any_permission_for(user, actions)
                      .values_list("pk", flat=True))
            assert got == expected, (person, actions)
    assert other_branch.pk not in set(
        ours.instances_user_has_any_permission_for(chair.user, {"change"})
        .values_list("pk", flat=True))
