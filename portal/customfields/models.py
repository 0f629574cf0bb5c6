"""Custom fields a union defines for its people (G-1), and their values.

Values live in one JSON object per person (`PersonCustomValues.values`, keyed by the
field's `key`) with a GIN index: why, with the query plans at 300,000 people, is in
docs/contact-register.md ("Custom fields").
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.people.models import Person
from portal.union.tenancy import UnionOwnedModel


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    MULTI_CHOICE = "multi_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes/no")


CHOICE_TYPES = (FieldType.CHOICE, FieldType.MULTI_CHOICE)
RANGE_TYPES = (FieldType.NUMBER, FieldType.DATE)

# A key is also a JSON key and part of URLs and exports: lower-case ASCII only.
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
# Names a key may not take: the person's own fields (and their column names), so an
# export or a filter never confuses a custom field with a built-in one.
EXTRA_RESERVED = frozenset({"id", "pk", "full_name", "name", "age", "union", "person",
                            "groups", "address", "birth_date", "deceased_on",
                            "identity_code", "custom"})


def reserved_keys() -> frozenset[str]:
    # At call time: the person's reverse relations exist only once every app is loaded.
    fields = Person._meta.get_fields()
    return EXTRA_RESERVED | {f.name for f in fields} | {
        getattr(f, "attname", f.name) for f in fields}


# Markup or control characters in a label or help text are refused (they are escaped
# when shown anyway; refusing them keeps exports and emails clean too).
_UNSAFE = re.compile(r"[<>\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate_plain_text(value: str) -> None:
    if value and _UNSAFE.search(value):
        raise ValidationError(_("Use plain text: the characters < and > are not allowed."),
                              code="markup")


def validate_key(value: str) -> None:
    if value in reserved_keys():
        raise ValidationError(
            _("“%(key)s” is the name of a built-in field of a person. Choose another key."),
            code="reserved", params={"key": value})


class CustomFieldQuerySet(models.QuerySet):
    def for_union(self, union):
        return self.none() if union is None else self.filter(union=union)

    def active(self):
        return self.filter(archived=False)


class CustomField(UnionOwnedModel):
    key = models.CharField(
        _("key"), max_length=40,
        validators=[RegexValidator(KEY_PATTERN, _(
            "Start with a letter and use only the lower-case letters a–z, digits and _.")),
            validate_key],
        help_text=_("A short name for exports and filters, e.g. shift. Cannot be changed later."))
    field_type = models.CharField(_("type"), max_length=16, choices=FieldType.choices)
    label_fi = models.CharField(_("label in Finnish"), max_length=100,
                                validators=[validate_plain_text])
    label_sv = models.CharField(_("label in Swedish"), max_length=100, blank=True,
                                validators=[validate_plain_text])
    label_en = models.CharField(_("label in English"), max_length=100, blank=True,
                                validators=[validate_plain_text])
    help_fi = models.CharField(_("help text in Finnish"), max_length=300, blank=True,
                               validators=[validate_plain_text])
    help_sv = models.CharField(_("help text in Swedish"), max_length=300, blank=True,
                               validators=[validate_plain_text])
    help_en = models.CharField(_("help text in English"), max_length=300, blank=True,
                               validators=[validate_plain_text])
    # [{"value": "night", "fi": "Yö", "sv": "Natt", "en": "Night"}, ...]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    min_value = models.DecimalField(_("smallest value"), max_digits=14, decimal_places=4,
                                    null=True, blank=True)
    max_value = models.DecimalField(_("largest value"), max_digits=14, decimal_places=4,
                                    null=True, blank=True)
    max_length = models.PositiveIntegerField(_("longest text"), null=True, blank=True)
    officials_see = models.BooleanField(
        _("officials of the person's scope see it"), default=False)
    officials_edit = models.BooleanField(
        _("officials of the person's scope edit it"), default=False)
    person_sees = models.BooleanField(_("the person sees it"), default=False)
    person_edits = models.BooleanField(_("the person edits it"), default=False)
    position = models.PositiveIntegerField(_("order"), default=0)
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CustomFieldQuerySet.as_manager()

    class Meta:
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["union", "key"], name="customfield_key_per_union"),
        ]

    def __str__(self) -> str:
        return self.label

    def _in_language(self, prefix: str) -> str:
        language = (translation.get_language() or "fi")[:2]
        return getattr(self, f"{prefix}_{language}", "") or getattr(self, f"{prefix}_fi")

    @property
    def label(self) -> str:
        return self._in_language("label")

    @property
    def help_text(self) -> str:
        return self._in_language("help")

    def choice_pairs(self) -> list[tuple[str, str]]:
        language = (translation.get_language() or "fi")[:2]
        return [(c["value"], c.get(language) or c.get("fi") or c["value"])
                for c in self.choices]

    def clean(self):
        errors = {}
        if self.officials_edit and not self.officials_see:
            self.officials_see = True
        if self.person_edits and not self.person_sees:
            self.person_sees = True
        if self.field_type in CHOICE_TYPES and not self.choices:
            errors["choices"] = _("Give at least one choice.")
        if self.field_type not in CHOICE_TYPES:
            self.choices = []
        if self.field_type != FieldType.NUMBER:
            self.min_value = self.max_value = None
        if self.field_type != FieldType.TEXT:
            self.max_length = None
        if (self.min_value is not None and self.max_value is not None
                and self.min_value > self.max_value):
            errors["max_value"] = _("The largest value is smaller than the smallest.")
        if errors:
            raise ValidationError(errors)


class PersonCustomValues(UnionOwnedModel):
    """A person's custom-field values, {key: value}: text and choice as strings,
    number as a JSON number, date as "YYYY-MM-DD", multiple choice as a list, yes/no
    as a boolean. One row per person, so merging (c5) keeps one by its uniqueness."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE,
                                  related_name="custom_values")
    values = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("custom field values")
        verbose_name_plural = _("custom field values")
        # The GIN index (jsonb_path_ops) is made on PostgreSQL only, by migration 0002.

    def __str__(self) -> str:
        return f"{self.person_id}: {self.values}"
