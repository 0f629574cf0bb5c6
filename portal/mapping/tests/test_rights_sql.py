"""The right to map in SQL (`permissions._edit_right`, db023c8) is trusted without
asking Wagtail when it says "yes", so it must never be broader than the page policy's
`can_edit` (portal/access/policy.py): grants on another union's pages, a permission of
another model, ended and future terms, group page permissions, 'add' on a page owned
or not, a deactivated account. Each case compares the SQL's answer with Wagtail's
tester on a fresh user object, and `can_map` with both."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission

from portal.access.models import PageUserObjectPermission
from portal.accounts.models import User
from portal.mapping.permissions import _edit_right, can_map
from portal.union.models import Role
from portal.workplaces.models import WorkplacePage
from tests.factories import make_employer, make_person, make_union, make_workplace


def _perm(codename, app_label=None):
    permissions = Permission.objects.filter(codename=codename)
    if app_label:
        permissions = permissions.filter(content_type__app_label=app_label)
    return permissions.get()


@pytest.mark.django_db
def test_the_sql_right_is_never_broader_than_wagtails_page_policy():
    union, other = make_union("mrsa"), make_union("mrsb")
    employer = make_employer(union)
    workplace = make_workplace(employer, "Here")
    sibling = make_workplace(employer, "Next door")
    foreign = make_workplace(make_employer(other), "Foreign")
    person = make_person(union, workplace=workplace, roles=(Role.MEMBER, Role.OFFICIAL))
    today = timezone.localdate()
    change, add = _perm("change_page", "wagtailcore"), _perm("add_page", "wagtailcore")

    def answers():
        user = User.objects.get(pk=person.user_id)  # fresh: no cached rights
        page = WorkplacePage.objects.get(pk=workplace.pk)
        by_sql = WorkplacePage.objects.filter(pk=page.pk).filter(_edit_right(user)).exists()
        by_wagtail = page.permissions_for_user(user).can_edit()
        return by_sql, by_wagtail, can_map(User.objects.get(pk=person.user_id), union, page)

    def grant(page, permission, valid_from=dt.date(2020, 1, 1), valid_until=None):
        # bulk_create: guardian's save refuses a permission of another model on a page;
        # a row written past it must still not count where Wagtail's does not.
        return PageUserObjectPermission.objects.bulk_create([PageUserObjectPermission(
            user_id=person.user_id, content_object_id=page.pk, permission=permission,
            valid_from=valid_from, valid_until=valid_until)])[0]

    cases = {
        "another union's workplace": lambda: grant(foreign, change),
        "another union's employer": lambda: grant(foreign.get_parent(), change),
        "a sibling workplace": lambda: grant(sibling, change),
        "ended yesterday": lambda: grant(workplace, change,
                                         valid_until=today - dt.timedelta(days=1)),
        "starts tomorrow": lambda: grant(workplace, change,
                                         valid_from=today + dt.timedelta(days=1)),
        "a codename with more words": lambda: grant(workplace, Permission.objects.create(
            codename="change_unit_name", name="change a unit's name",
            content_type=change.content_type)),
        "add, page not owned": lambda: grant(workplace, add),
        "another model's view": lambda: grant(workplace, _perm("view_page", "wagtailcore")),
    }
    for name, make in cases.items():
        made = make()
        assert answers() == (False, False, False), name
        made.delete()

    # Where Wagtail says yes, so does the SQL (the same rule, not a narrower one).
    yes = {
        "the workplace": lambda: grant(workplace, change),
        "its employer": lambda: grant(employer, change),
        "ends today": lambda: grant(workplace, change, valid_until=today),
        "add, page owned": lambda: (WorkplacePage.objects.filter(pk=workplace.pk).update(
            owner_id=person.user_id), grant(workplace, add))[1],
        # Wagtail reads the action as the codename up to its last "_": another model's
        # change_<model> counts as change there, and so in the SQL (not broader).
        "another model's change": lambda: grant(workplace,
                                                _perm("change_grouppagepermission")),
    }
    for name, make in yes.items():
        made = make()
        assert answers() == (True, True, True), name
        made.delete()
        WorkplacePage.objects.filter(pk=workplace.pk).update(owner_id=None)

    # A group's page permission: Wagtail's own rule, another union's group included.
    group = Group.objects.create(name="mrs other union's group")
    group.user_set.add(person.user)
    made = GroupPagePermission.objects.create(group=group, page=foreign, permission=change)
    assert answers() == (False, False, False)
    made.delete()
    GroupPagePermission.objects.create(group=group, page=employer, permission=change)
    assert answers() == (True, True, True)

    # A deactivated account: Wagtail says no, and so does can_map (the SQL is not asked).
    User.objects.filter(pk=person.user_id).update(is_active=False)
    user = User.objects.get(pk=person.user_id)
    assert not workplace.permissions_for_user(user).can_edit()
    assert not can_map(user, union, WorkplacePage.objects.get(pk=workplace.pk))
