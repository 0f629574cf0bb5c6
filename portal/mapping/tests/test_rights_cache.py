"""The right to map a workplace is kept on the user object once read (db023c8), so the
actions a view calls ask no more. A user object that lives on after the user's grants
change (a task, a shell, an action ending the user's own term) must not keep answering
"yes": the grants' sync forgets it. The steward here keeps another position, so their
roles do not change: only the grants do."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from portal.mapping import actions
from portal.mapping.models import Assessment
from portal.mapping.permissions import can_map
from portal.people import actions as people_actions
from portal.people.models import PositionKind
from portal.union.models import Role
from tests.factories import appoint, make_employer, make_person, make_union, make_workplace


@pytest.mark.django_db
def test_a_kept_user_object_loses_the_right_when_the_term_ends():
    union = make_union("maprc")
    employer = make_employer(union)
    shop, office = make_workplace(employer, "Shop"), make_workplace(employer, "Office")
    steward = make_person(union, workplace=shop, roles=(Role.MEMBER,))
    position = appoint(steward, PositionKind.SHOP_STEWARD, shop)
    appoint(steward, PositionKind.SAFETY_REPRESENTATIVE, office)  # still an official after
    colleague = make_person(union, workplace=shop, user=False)
    user = steward.user
    assert can_map(user, union, shop)
    actions.assess(workplace=shop, person=colleague, level=3, acting_user=user)

    position.person = steward  # the same user object, as when they end their own term
    people_actions.end_position(position=position, acting_user=user)

    assert not can_map(user, union, shop)
    with pytest.raises(PermissionDenied):
        actions.assess(workplace=shop, person=colleague, level=4, acting_user=user)
    assert list(Assessment.objects.filter(person=colleague).values_list("level", flat=True)) \
        == [3]
    assert can_map(user, union, office)  # the other position's workplace: still theirs
