"""The people admin's writes (portal/contacts): union staff edit a person's basic
info and membership, add a person by hand, and set a membership status on many people.
Re-exported by `people.actions`, which is where callers find them. Fields the member
register owns are refused while it flows one way (`register_owned`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit.log import AuditAction, record_many
from portal.union.models import Union

from .models import Person


def _check_staff_values(union, acting_user, values: dict[str, Any], *, given) -> None:
    from portal.access.roles import is_staff

    from .forms import register_owned

    if not is_staff(acting_user, union):
        raise PermissionDenied
    unknown = set(values) - set(STAFF_EDITABLE_FIELDS)
    locked = set(given) & set(register_owned(union, "people"))
    if unknown or locked:
        raise ValidationError(
            _("These fields cannot be edited here: %s") % ", ".join(sorted(unknown | locked))
        )
    branch = values.get("branch")
    if branch is not None and branch.union_id != union.pk:
        raise ValidationError(_("The branch belongs to another union."))


# What union staff edit on a person in the people admin (portal/contacts): basic info
# and membership. The register-owned ones are refused while the register flows one way.
STAFF_EDITABLE_FIELDS = (
    "first_name", "last_name", "alternative_name", "email", "phone", "street_address",
    "postal_code", "city", "preferred_language", "birth_date", "member_number",
    "membership_status", "branch", "joined_on", "membership_valid_until",
)


@transaction.atomic
def update_person(*, person: Person, acting_user, values: dict[str, Any]) -> list[str]:
    """Union staff edit a person's basic info and membership; returns the changed fields."""
    from .actions import save_person_changes

    _check_staff_values(person.union, acting_user, values, given=values)
    return save_person_changes(person, values, acting_user=acting_user)


@transaction.atomic
def add_person(*, union: Union, acting_user, values: dict[str, Any]) -> Person:
    """Union staff add a person by hand (the people admin's *New person*): the fields of
    STAFF_EDITABLE_FIELDS, first and last name required; while the register flows one
    way its fields stay empty here (the register brings them). Audited as `create`
    (`create_person`) and sent to the search index."""
    from .actions import create_person

    given = {name: value for name, value in values.items() if value not in (None, "")}
    _check_staff_values(union, acting_user, values, given=given)
    fields = dict(given)
    first_name, last_name = fields.pop("first_name", ""), fields.pop("last_name", "")
    if not first_name.strip() or not last_name.strip():
        raise ValidationError(_("Enter the person's first and last name."))
    return create_person(union=union, first_name=first_name.strip(),
                         last_name=last_name.strip(), acting_user=acting_user, **fields)


@transaction.atomic
def set_membership_status(*, people, status: str, acting_user) -> int:
    """Union staff set one membership status on many people of their union at once (a
    queryset, updated set-based); one audit entry per person changed."""
    from portal.access.roles import is_staff
    from portal.union.sections import invalidate

    from .models import MembershipStatus

    if status not in MembershipStatus.values:
        raise ValidationError(_("Choose a membership status."))
    union_ids = set(people.order_by().values_list("union_id", flat=True).distinct()[:2])
    if not union_ids:
        return 0
    if len(union_ids) > 1:
        raise ValidationError(_("These people belong to another union."))
    union = Union.objects.get(pk=union_ids.pop())
    if not is_staff(acting_user, union):
        raise PermissionDenied
    changing = list(people.exclude(membership_status=status).values_list("pk", flat=True))
    if not changing:
        return 0
    Person.objects.filter(pk__in=changing).update(membership_status=status,
                                                  updated_at=timezone.now())
    record_many(actor=acting_user, union=union, action=AuditAction.EDIT,
                people=[Person(pk=pk) for pk in changing], fields=["membership_status"])
    invalidate(union.pk)  # an UPDATE sends no post_save: pages list members by status
    return len(changing)
