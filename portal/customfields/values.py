"""Turning a field's value into its stored JSON form and back into a form field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from .models import FieldType


def form_field(field, *, disabled: bool = False) -> forms.Field:
    """The Django form field that edits `field`'s value, with its validation."""
    common = {"label": field.label, "help_text": field.help_text,
              "required": field.required, "disabled": disabled}
    kind = field.field_type
    if kind == FieldType.TEXT:
        validators = [MaxLengthValidator(field.max_length)] if field.max_length else []
        return forms.CharField(max_length=field.max_length or 1000, validators=validators,
                               **common)
    if kind == FieldType.NUMBER:
        validators = []
        if field.min_value is not None:
            validators.append(MinValueValidator(field.min_value))
        if field.max_value is not None:
            validators.append(MaxValueValidator(field.max_value))
        return forms.DecimalField(max_digits=14, decimal_places=4, validators=validators,
                                  **common)
    if kind == FieldType.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == FieldType.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *field.choice_pairs()], **common)
    if kind == FieldType.MULTI_CHOICE:
        return forms.MultipleChoiceField(choices=field.choice_pairs(),
                                         widget=forms.CheckboxSelectMultiple, **common)
    # Yes/no: "no answer" stays distinct from "no".
    return forms.TypedChoiceField(
        choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes", empty_value=None, **common)


def to_json(field, value):
    """A cleaned form value as stored; None (or empty) means no value."""
    if value in (None, "", []):
        return None
    if field.field_type == FieldType.NUMBER:
        value = Decimal(value)
        return int(value) if value == value.to_integral_value() else float(value)
    if field.field_type == FieldType.DATE:
        return value.isoformat()
    if field.field_type == FieldType.MULTI_CHOICE:
        return sorted(value)
    return value


def to_initial(field, stored):
    """The stored value as a form's initial value."""
    if stored is None:
        return None
    if field.field_type == FieldType.DATE:
        return dt.date.fromisoformat(stored)
    if field.field_type == FieldType.YES_NO:
        return "yes" if stored else "no"
    return stored


def display(field, stored) -> str:
    """The stored value as text for a page (escaped by the template)."""
    if stored is None or stored == []:
        return ""
    kind = field.field_type
    if kind == FieldType.NUMBER:
        return number_format(stored)
    if kind == FieldType.DATE:
        return date_format(dt.date.fromisoformat(stored), "SHORT_DATE_FORMAT")
    if kind == FieldType.YES_NO:
        return _("Yes") if stored else _("No")
    if kind in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
        labels = dict(field.choice_pairs())
        items = stored if isinstance(stored, list) else [stored]
        return ", ".join(labels.get(item, item) for item in items)
    return str(stored)
