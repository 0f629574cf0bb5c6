"""Every change to custom fields and their values, each with an audit entry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit.log import AuditAction, record
from search import outbox as search_outbox

from . import values as value_forms
from .models import CustomField, PersonCustomValues
from .signals import custom_values_changed

DEFINITION_FIELDS = (
    "field_type", "label_fi", "label_sv", "label_en", "help_fi", "help_sv", "help_en",
    "choices", "required", "min_value", "max_value", "max_length", "officials_see",
    "officials_edit", "person_sees", "person_edits",
)


@transaction.atomic
def define_field(*, union, key: str, acting_user, **definition: Any) -> CustomField:
    unknown = set(definition) - set(DEFINITION_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown settings: {sorted(unknown)}")
    last = CustomField.objects.for_union(union).order_by("-position").first()
    field = CustomField(union=union, key=key, position=(last.position + 1) if last else 0,
                        **definition)
    field.full_clean()
    field.save()
    record(actor=acting_user, union=union, action=AuditAction.CREATE,
           target=f"custom field {key}", fields=sorted(definition))
    return field


@transaction.atomic
def update_field(*, field: CustomField, acting_user, values: dict[str, Any]) -> list[str]:
    """The key and the type stay: stored values are read by them."""
    unknown = set(values) - (set(DEFINITION_FIELDS) - {"field_type"})
    if unknown:
        raise ValidationError(f"These cannot be changed: {sorted(unknown)}")
    changed = [name for name, value in values.items() if getattr(field, name) != value]
    for name in changed:
        setattr(field, name, values[name])
    if changed:
        field.full_clean()
        field.save()
        record(actor=acting_user, union=field.union, action=AuditAction.EDIT,
               target=f"custom field {field.key}", fields=changed)
    return changed


@transaction.atomic
def reorder_fields(*, union, order: Iterable[int], acting_user) -> None:
    """`order`: the union's field ids in their new order (others' ids are ignored)."""
    ids = list(order)
    fields = {f.pk: f for f in CustomField.objects.for_union(union).filter(pk__in=ids)}
    for position, pk in enumerate(ids):
        if pk in fields:
            fields[pk].position = position
    CustomField.objects.bulk_update(fields.values(), ["position"])
    record(actor=acting_user, union=union, action=AuditAction.EDIT,
           target="custom field order", fields=["position"])


@transaction.atomic
def set_archived(*, field: CustomField, archived: bool, acting_user) -> None:
    """An archived field is no longer shown or edited; its values stay (restorable)."""
    if field.archived != archived:
        field.archived = archived
        field.save(update_fields=["archived"])
        record(actor=acting_user, union=field.union, action=AuditAction.EDIT,
               target=f"custom field {field.key}", fields=["archived"])


@transaction.atomic
def set_values(*, person, acting_user, values: dict[str, Any],
               editable: Iterable[CustomField]) -> list[str]:
    """Sets the cleaned form `values` ({key: value}) of the `editable` fields (those the
    acting user may edit, selectors.may_edit) on `person`; returns the keys changed."""
    fields = {f.key: f for f in editable}
    if any(f.union_id != person.union_id for f in fields.values()):
        raise PermissionDenied
    unknown = set(values) - set(fields)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %s")
                              % ", ".join(sorted(unknown)))
    row, _created = PersonCustomValues.objects.select_for_update().get_or_create(
        person=person, defaults={"union_id": person.union_id})
    stored = dict(row.values)
    changed = []
    for key, value in values.items():
        new = value_forms.to_json(fields[key], value)
        if stored.get(key) != new:
            changed.append(key)
            if new is None:
                stored.pop(key, None)
            else:
                stored[key] = new
    if changed:
        row.values = stored
        row.save()
        record(actor=acting_user, union=person.union, action=AuditAction.EDIT,
               person=person, fields=[f"custom:{key}" for key in changed])
        search_outbox.enqueue(person)  # staff find people by their values
        transaction.on_commit(lambda: custom_values_changed.send(
            sender=PersonCustomValues, union_id=person.union_id, person_id=person.pk))
    return changed


@transaction.atomic
def erase_values(*, person, acting_user) -> None:
    """The right to be forgotten: the person's custom values go."""
    deleted, _rows = PersonCustomValues.objects.filter(person=person).delete()
    if deleted:
        record(actor=acting_user, union=person.union, action=AuditAction.DELETE,
               person=person, fields=["custom_values"])
        search_outbox.enqueue(person)
