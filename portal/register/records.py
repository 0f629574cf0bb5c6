"""The record formats of the member-register integration (issue 14, U-2.5, G-6).

This module is the contract that the REST API (`portal/api/`), the Excel/CSV imports
(`portal/imports/`) and the data-quality report build on: which kinds of records
exist, which fields each has (type, required, which is the external key, which the
register owns), and how a record's values are checked. Writing is
`register.actions.upsert_records`; reading what changed in the portal is
`register.selectors.changes_since`.

A record is a flat dict of field name → value. Values may be the JSON types or, as
they come from a CSV file, strings: "12" is an int, "31.12.2025" and "2025-12-31"
are dates. An empty string or None is "no value" (a required field then fails). A
field absent from a record keeps the stored value on update (and its default on
create); a field present with no value clears it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from portal.people.models import (
    ALLOWED_SCOPES,
    REGISTER_OWNED_FIELDS,
    MembershipStatus,
    PositionKind,
    ScopeKind,
)
from portal.workplaces.validators import normalise_business_id

PEOPLE = "people"
EMPLOYERS = "employers"
WORKPLACES = "workplaces"
EMPLOYMENTS = "employments"
POSITIONS = "positions"
TRAININGS = "trainings"

# Field types. References name another record's external key; they resolve only
# inside the union (another union's branch or employer is "not found").
TEXT = "text"
INT = "int"
DATE = "date"
EMAIL = "email"
CHOICE = "choice"
BUSINESS_ID = "business_id"
IDENTITY_CODE = "identity_code"  # plain HETU in, stored only as the keyed hash
REF_BRANCH = "ref_branch"  # a branch's `number`
REF_EMPLOYER = "ref_employer"  # an employer's business ID
REF_WORKPLACE = "ref_workplace"  # a workplace's register_id
REF_PERSON = "ref_person"  # a person's member number
REF_SCOPE = "ref_scope"  # by scope_kind: branch number / business ID / workplace id / ""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool = False
    key: bool = False  # part of the external key
    owned: bool = True  # the register owns it (read-only in the portal when one-way)
    max_length: int | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    name: str
    label: Any
    fields: tuple[Field, ...]

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.key)

    @functools.cached_property
    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @functools.cached_property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    @property
    def owned(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.owned and not f.key)


def _t(name, max_length, **kw) -> Field:
    return Field(name, TEXT, max_length=max_length, **kw)


_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(PEOPLE, _("people"), (
            _t("member_number", 20, required=True, key=True),
            _t("first_name", 100, required=True),
            _t("last_name", 100, required=True),
            _t("alternative_name", 200),
            Field("identity_code", IDENTITY_CODE),
            Field("email", EMAIL, max_length=254),
            _t("phone", 40),
            _t("street_address", 200),
            _t("postal_code", 10),
            _t("city", 100),
            # Set when the person is created; afterwards the member's own choice.
            Field("preferred_language", CHOICE, owned=False, choices=_LANGUAGES),
            Field("membership_status", CHOICE, choices=tuple(MembershipStatus.values)),
            Field("branch", REF_BRANCH, max_length=20),
            Field("joined_on", DATE),
            Field("membership_valid_until", DATE),
            Field("birth_date", DATE),
        )),
        Kind(EMPLOYERS, _("employers"), (
            Field("business_id", BUSINESS_ID, required=True, key=True),
            _t("name", 255, required=True),
            _t("industry", 200),
            _t("street_address", 200),
            _t("postal_code", 10),
            _t("city", 100),
        )),
        Kind(WORKPLACES, _("workplaces"), (
            _t("register_id", 40, required=True, key=True),
            Field("employer", REF_EMPLOYER, required=True),
            _t("name", 255, required=True),
            _t("street_address", 200),
            _t("postal_code", 10),
            _t("city", 100),
            Field("employee_count", INT),
        )),
        # An employment is keyed by person, employer and start date.
        Kind(EMPLOYMENTS, _("employments"), (
            Field("member_number", REF_PERSON, required=True, key=True, max_length=20),
            Field("employer", REF_EMPLOYER, required=True, key=True),
            Field("starts_on", DATE, required=True, key=True),
            Field("workplace", REF_WORKPLACE, max_length=40),
            _t("title", 200),
            Field("ends_on", DATE),
        )),
        # A position of trust is keyed by person, kind, scope and start of term.
        Kind(POSITIONS, _("positions of trust"), (
            Field("member_number", REF_PERSON, required=True, key=True, max_length=20),
            Field("kind", CHOICE, required=True, key=True, choices=tuple(PositionKind.values)),
            Field("scope_kind", CHOICE, required=True, key=True,
                  choices=tuple(ScopeKind.values)),
            Field("scope", REF_SCOPE, key=True, max_length=40),
            Field("starts_on", DATE, required=True, key=True),
            Field("ends_on", DATE),
        )),
        # A training is keyed by person, name and completion date.
        Kind(TRAININGS, _("union trainings"), (
            Field("member_number", REF_PERSON, required=True, key=True, max_length=20),
            _t("name", 200, required=True, key=True),
            Field("completed_on", DATE, required=True, key=True),
            _t("provider", 200),
        )),
    )
}

# The portal forms' read-only lists (people/models.py) name only fields the register owns.
assert all(
    set(REGISTER_OWNED_FIELDS[name]) <= {f.name for f in KINDS[name].fields if f.owned}
    for name in REGISTER_OWNED_FIELDS
), "REGISTER_OWNED_FIELDS names a field the register does not own"

# Optional on every record of every kind: when the register made the change (ISO 8601
# with a time zone). In two-way sync the later of this and a portal edit wins.
CHANGED_AT = "changed_at"


@dataclass(frozen=True)
class RecordError:
    """One problem with one record. `index` is the record's 0-based position in the
    batch (a CSV importer adds its header offset), `field` the field name or "" for
    the whole record, `code` a stable machine-readable code, `message` translated."""

    index: int
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "field": self.field, "code": self.code,
                "message": str(self.message)}


@dataclass
class BatchResult:
    """The outcome of one `upsert_records` call. Bad records are in `errors` (never
    written); the good ones were written together, or not at all when `dry_run`.
    `conflicts` counts two-way fields where the portal and the register both changed
    (each kept in `register.Conflict`)."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RecordError] = field(default_factory=list)
    conflicts: int = 0
    dry_run: bool = False
    # (index, "created" | "updated" | "unchanged") of every accepted record, in index
    # order; filled only when upsert_records(outcomes=True) asks (the REST API does).
    outcomes: list[tuple[int, str]] | None = None

    @property
    def accepted(self) -> int:
        return self.created + self.updated + self.unchanged

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "conflicts": self.conflicts,
                "dry_run": self.dry_run, "errors": [e.as_dict() for e in self.errors]}


# --- checking one record ----------------------------------------------------------

_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Bad(Exception):
    def __init__(self, code: str, message):
        self.code, self.message = code, message


def parse_date(value: Any) -> dt.date:
    """A date from a date, "31.12.2025" (Finnish) or "2025-12-31" (ISO 8601)."""
    if isinstance(value, str):
        return _date_of_text(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise _Bad("invalid_date", _("Give a date as 31.12.2025 or 2025-12-31."))


# A register file repeats its dates (a few thousand distinct ones in 300,000 records):
# each text is parsed once per process. Dates are immutable; errors are not cached.
@functools.lru_cache(maxsize=1 << 16)
def _date_of_text(value: str) -> dt.date:
    text = value.strip()
    match = _FINNISH_DATE.match(text)
    try:
        if match:
            day, month, year = match.groups()
            return dt.date(int(year), int(month), int(day))
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    if match or _ISO_DATE.match(text):
        # Written right but not in the calendar (31.2.): the format is not the problem.
        raise _Bad("invalid_date", _("There is no such date: check the day and the month."))
    raise _Bad("invalid_date", _("Give a date as 31.12.2025 or 2025-12-31."))


# Business IDs repeat as much (every employment names its employer's).
_business_id = functools.lru_cache(maxsize=1 << 16)(normalise_business_id)

# Django's email check, with its regular expressions compiled once here (Django's are
# lazy objects, a third of the check's cost per call). An address both match is one
# validate_email accepts (the same tests it makes first); any other goes to
# validate_email itself, which decides.
_EMAIL_USER = re.compile(validate_email.user_regex.pattern, validate_email.user_regex.flags)
_EMAIL_DOMAIN = re.compile(validate_email.domain_regex.pattern,
                           validate_email.domain_regex.flags)


def _check_email(text: str) -> None:
    if "@" in text and len(text) <= 320:
        user, domain = text.rsplit("@", 1)
        if _EMAIL_USER.match(user) and _EMAIL_DOMAIN.match(domain):
            return
    validate_email(text)


def _parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise _Bad("invalid_int", _("Give a whole number."))
    if isinstance(value, int):
        result = value
    elif isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*", value):
        result = int(value)
    else:
        raise _Bad("invalid_int", _("Give a whole number."))
    if result < 0 or result > 2_147_483_647:
        raise _Bad("invalid_int", _("Give a whole number."))
    return result


def _parse_text(value: Any, spec: Field) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)  # a member number read from Excel as a number
    if not isinstance(value, str):
        raise _Bad("invalid_type", _("Give text."))
    text = value.strip()
    if "\x00" in text:
        raise _Bad("invalid_text", _("The text contains a NUL character."))
    if spec.max_length and len(text) > spec.max_length:
        raise _Bad("too_long", _("At most %(n)d characters.") % {"n": spec.max_length})
    return text


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_value(spec: Field, value: Any) -> Any:
    """The stored form of one present, non-empty value, or raise _Bad."""
    if spec.type == TEXT:  # the most common, first
        return _parse_text(value, spec)
    if spec.type == DATE:
        return parse_date(value)
    if spec.type == INT:
        return _parse_int(value)
    text = _parse_text(value, spec)
    if spec.type == EMAIL:
        try:
            _check_email(text)
        except ValidationError as error:
            raise _Bad("invalid_email", _("Give a valid email address.")) from error
        return text
    if spec.type == CHOICE:
        if text not in spec.choices:
            raise _Bad("invalid_choice", _("Not one of: %(choices)s")
                       % {"choices": ", ".join(spec.choices)})
        return text
    if spec.type in (BUSINESS_ID, REF_EMPLOYER):
        try:
            return _business_id(text)
        except ValidationError as error:
            raise _Bad("invalid_business_id", error.messages[0]) from error
    if spec.type == IDENTITY_CODE:
        from stdnum.exceptions import ValidationError as StdnumError
        from stdnum.fi import hetu

        try:
            return hetu.validate(text)
        except StdnumError as error:
            raise _Bad("invalid_identity_code",
                       _("This personal identity code is not valid.")) from error
    return text


def clean_record(kind: Kind, index: int, raw: Any) -> tuple[dict[str, Any] | None,
                                                            list[RecordError]]:
    """The record's cleaned values (present fields only) and its errors.

    The caller adds what needs the database: references and duplicate keys.
    """
    if not isinstance(raw, Mapping):
        return None, [RecordError(index, "", "not_an_object", _("A record is an object."))]
    errors: list[RecordError] = []
    cleaned: dict[str, Any] = {}
    specs = kind.by_name
    for name, value in raw.items():
        spec = specs.get(name)
        # Plain text given as a string, by far the most common value, checked inline
        # (the same checks as _parse_text): a file of 300,000 records has millions.
        if spec is not None and spec.type == TEXT and type(value) is str:
            text = value.strip()
            if not text:
                cleaned[name] = None
            elif "\x00" in text:
                errors.append(RecordError(index, name, "invalid_text",
                                          _("The text contains a NUL character.")))
            elif spec.max_length and len(text) > spec.max_length:
                errors.append(RecordError(index, name, "too_long", _(
                    "At most %(n)d characters.") % {"n": spec.max_length}))
            else:
                cleaned[name] = text
            continue
        if name == CHANGED_AT:
            stamp = _parse_changed_at(value)
            if stamp is None:
                errors.append(RecordError(index, name, "invalid_datetime", _(
                    "Give a time as 2025-12-31T12:00:00+02:00.")))
            else:
                cleaned[name] = stamp
            continue
        if spec is None:
            errors.append(RecordError(index, str(name)[:100], "unknown_field",
                                      _("Unknown field.")))
            continue
        if _is_empty(value):
            if spec.type != CHOICE:  # an empty choice is "not given", never "clear"
                cleaned[name] = None
            continue
        try:
            cleaned[name] = clean_value(spec, value)
        except _Bad as bad:
            errors.append(RecordError(index, name, bad.code, bad.message))
    for name in kind.required:
        if cleaned.get(name) is None and not any(e.field == name for e in errors):
            errors.append(RecordError(index, name, "required", _("This field is required.")))
    if kind.name == POSITIONS and not errors:
        scope_kind, scope = cleaned.get("scope_kind"), cleaned.get("scope")
        if scope_kind != ScopeKind.UNION and not scope:
            errors.append(RecordError(index, "scope", "required", _("This field is required.")))
        elif scope_kind not in ALLOWED_SCOPES[cleaned["kind"]]:
            errors.append(RecordError(index, "scope_kind", "scope_not_allowed", _(
                "This position cannot have this scope.")))
        elif scope_kind == ScopeKind.UNION:
            cleaned["scope"] = ""
        elif scope_kind == ScopeKind.EMPLOYER:
            try:
                cleaned["scope"] = normalise_business_id(scope)
            except ValidationError as error:
                errors.append(RecordError(index, "scope", "invalid_business_id",
                                          error.messages[0]))
    for start, end in (("starts_on", "ends_on"), ("joined_on", "membership_valid_until")):
        if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
            errors.append(RecordError(index, end, "ends_before_start",
                                      _("The end is before the start.")))
    return (None if errors else cleaned), errors


def _parse_changed_at(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        stamp = value
    elif isinstance(value, str):
        try:
            stamp = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return stamp if stamp.tzinfo is not None else None


def key_of(kind: Kind, cleaned: Mapping[str, Any]) -> tuple:
    """The record's external key (normalised), for duplicate detection in a batch."""
    return tuple(cleaned.get(name) or "" for name in kind.key)


__all__ = [
    "CHANGED_AT", "EMPLOYERS", "EMPLOYMENTS", "KINDS", "PEOPLE", "POSITIONS", "TRAININGS",
    "WORKPLACES", "BatchResult", "Field", "Kind", "RecordError", "clean_record", "key_of",
    "parse_date",
]
