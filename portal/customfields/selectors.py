"""Reads of custom fields and their values, always within one union."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.db.models import DateField, DecimalField, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.urls import reverse

from portal.people.scopes import Visibility, visibility_of

from . import values as value_forms
from .models import CHOICE_TYPES, RANGE_TYPES, CustomField, FieldType, PersonCustomValues

STAFF, SCOPE, OWN = "staff", "scope", "own"


def fields_of(union, *, archived: bool = False) -> QuerySet[CustomField]:
    return CustomField.objects.for_union(union).filter(archived=archived)


def field_of(union, pk) -> CustomField:
    """The union's field `pk` (DoesNotExist for another union's)."""
    return CustomField.objects.for_union(union).get(pk=pk)


def values_of(person) -> dict:
    row = PersonCustomValues.objects.filter(person_id=person.pk, union_id=person.union_id).first()
    return dict(row.values) if row else {}


def relation_to(request, person) -> str | None:
    """How the signed-in user stands to `person` for custom fields: staff, an official of
    the person's scope, the person themself, or None (sees no custom field)."""
    level = visibility_of(request.user, getattr(request, "union", None), person)
    return {Visibility.FULL: STAFF, Visibility.SCOPE: SCOPE, Visibility.OWN: OWN}.get(level)


def may_see(field: CustomField, relation: str | None) -> bool:
    return relation == STAFF or (relation == SCOPE and field.officials_see) or (
        relation == OWN and field.person_sees)


def may_edit(field: CustomField, relation: str | None) -> bool:
    return relation == STAFF or (relation == SCOPE and field.officials_edit) or (
        relation == OWN and field.person_edits)


def _number(value) -> Decimal:
    return Decimal(str(value))


def value_q(field: CustomField, value, *, prefix: str = "") -> Q:
    """A condition on Person: `field` equals `value`, or, for a number or a date, lies in
    `value` = (low, high) with either end None. On PostgreSQL equality is a containment
    test (`@>`) that the GIN index answers; a range reads the value as a number or date."""
    path = f"{prefix}custom_values__values"
    key = field.key
    if field.field_type in (FieldType.NUMBER, FieldType.DATE) and isinstance(value, list | tuple):
        low, high = value
        if field.field_type == FieldType.NUMBER:
            output = DecimalField(max_digits=30, decimal_places=10)
            low, high = (None if v is None else _number(v) for v in (low, high))
        else:
            output = DateField()
            low, high = (None if v is None else (v if isinstance(v, dt.date) else _date(str(v)))
                         for v in (low, high))
        expression = Cast(KeyTextTransform(key, path), output)
        q = Q(**{f"{path}__has_key": key})
        if low is not None:
            q &= Q(GreaterThanOrEqual(expression, low))
        if high is not None:
            q &= Q(LessThanOrEqual(expression, high))
        return q
    stored = value_forms.to_json(field, _parse(field, value))
    if field.field_type == FieldType.MULTI_CHOICE:
        stored = stored[0] if isinstance(stored, list) and stored else stored
    if connection.vendor == "postgresql":
        wanted = [stored] if field.field_type == FieldType.MULTI_CHOICE else stored
        return Q(**{f"{path}__contains": {key: wanted}})
    # SQLite (the demo): no JSON containment; the same test on the key's value.
    if field.field_type == FieldType.MULTI_CHOICE:
        return Q(**{f"{path}__{key}__icontains": f'"{stored}"'})
    return Q(**{f"{path}__{key}": stored})


def _parse(field: CustomField, value):
    """A filter's value (from a form or a URL) in the field's type; ValueError if bad."""
    kind = field.field_type
    if kind == FieldType.NUMBER:
        return _number(value)
    if kind == FieldType.DATE:
        return value if isinstance(value, dt.date) else _date(str(value))
    if kind == FieldType.YES_NO:
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("yes", "true", "1", "on", "kyllä", "ja")
    if kind in CHOICE_TYPES:
        value = _choice_value(field, str(value))
        return [value] if kind == FieldType.MULTI_CHOICE else value
    return str(value)


def _date(text: str) -> dt.date:
    """A date typed in a filter: ISO (2026-05-31) or as staff write it (31.5.2026)."""
    text = text.strip()
    if "." in text:
        return dt.datetime.strptime(text, "%d.%m.%Y").date()
    return dt.date.fromisoformat(text)


def _choice_value(field: CustomField, text: str) -> str:
    """A choice typed in a filter: its stored value or, as staff see it, one of its
    labels in any language (case ignored); ValueError if neither."""
    wanted = text.strip().casefold()
    for choice in field.choices:
        if wanted == choice["value"].casefold() or wanted in {
                choice.get(language, "").casefold() for language in ("fi", "sv", "en")}:
            return choice["value"]
    raise ValueError(f"not a choice of {field.key}")


def filterable_fields(*, union) -> list[CustomField]:
    """The union's fields offered as filters of the people list (staff see them all)."""
    return list(fields_of(union))


def _range(field: CustomField, value):
    """"low..high" (either end may be empty) typed in a filter, as a pair."""
    if isinstance(value, str) and ".." in value and field.field_type in RANGE_TYPES:
        low, high = (part.strip() or None for part in value.split("..", 1))
        return (low, high)
    return value


def filter_people(queryset, *, union, field, value):
    """`queryset` (of Person) narrowed to the union's people whose `field` equals `value`
    (for numbers and dates also a pair (low, high) or the text "low..high"; an empty value:
    has any value), in SQL. `field` is a CustomField or its id; another union's field
    raises ValueError; a value the field cannot hold matches nobody."""
    if not isinstance(field, CustomField):
        field = CustomField.objects.for_union(union).filter(pk=field).first()
    if union is None or field is None or field.union_id != union.pk:
        raise ValueError("The custom field belongs to another union.")
    queryset = queryset.filter(union=union)
    if value in (None, ""):
        return queryset.filter(custom_values__values__has_key=field.key)
    try:
        return queryset.filter(value_q(field, _range(field, value)))
    except (ValueError, ArithmeticError, TypeError):
        return queryset.none()


def person_section(*, request, person) -> dict | None:
    """The custom-fields section of a person's page: the fields the viewer may see, with
    values; None when they may see none."""
    relation = relation_to(request, person)
    if relation is None:
        return None
    fields = [f for f in fields_of(request.union) if may_see(f, relation)]
    if not fields:
        return None
    stored = values_of(person)
    rows = [{"label": f.label, "value": value_forms.display(f, stored.get(f.key))}
            for f in fields]
    editable = any(may_edit(f, relation) for f in fields) and relation != OWN
    return {"custom_fields": rows, "custom_fields_edit_url": reverse(
        "customfields:person", args=[person.pk]) if editable else None}
