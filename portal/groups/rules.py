"""A group's automation: structured conditions, validated against the union, and turned
into a query only through this whitelist (never keyword arguments taken from input).

    {"conditions": [
        {"kind": "branch", "branch": 12},
        {"kind": "age", "min": 60, "max": 64},
        {"kind": "status", "statuses": ["active", "on_leave"]},
        {"kind": "life_event", "status": "on_leave"},
        {"kind": "custom_field", "field": 7, "value": "night"},
    ]}

All conditions must hold. Ages are counted on the day of the evaluation from
`Person.birth_date`; a person without a birth date has no age and matches no age
condition.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.branches.models import BranchPage
from portal.customfields import selectors as custom_selectors
from portal.customfields.models import CustomField
from portal.lifeevents import selectors as life_selectors
from portal.people.models import MembershipStatus, Person

KINDS = ("branch", "age", "status", "life_event", "custom_field")
MAX_AGE = 130


def life_event_statuses() -> list[tuple[str, str]]:
    """The temporary statuses a condition may name (life events). The deceased never
    match an automation: evaluation takes the living only."""
    return [(str(v), str(label)) for v, label in life_selectors.status_choices()
            if v != life_selectors.DECEASED]


def _int(value, *, low: int, high: int, message: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(message) from None
    if not low <= number <= high:
        raise ValidationError(message)
    return number


def _condition(union, raw) -> dict:
    if not isinstance(raw, dict) or raw.get("kind") not in KINDS:
        raise ValidationError(_("Unknown condition."))
    kind = raw["kind"]
    if kind == "branch":
        pk = _int(raw.get("branch"), low=1, high=2**63 - 1, message=_("Choose a branch."))
        if not BranchPage.objects.for_union(union).filter(pk=pk).exists():
            raise ValidationError(_("Choose one of your union's own branches."))
        return {"kind": kind, "branch": pk}
    if kind == "age":
        message = _("Give ages between 0 and %(max)s.") % {"max": MAX_AGE}
        low = raw.get("min")
        high = raw.get("max")
        low = None if low in (None, "") else _int(low, low=0, high=MAX_AGE, message=message)
        high = None if high in (None, "") else _int(high, low=0, high=MAX_AGE, message=message)
        if low is None and high is None:
            raise ValidationError(message)
        if low is not None and high is not None and low > high:
            raise ValidationError(_("The lower age is above the upper one."))
        return {"kind": kind, "min": low, "max": high}
    if kind == "status":
        statuses = raw.get("statuses")
        allowed = set(MembershipStatus.values)
        if not isinstance(statuses, list) or not statuses or not set(statuses) <= allowed:
            raise ValidationError(_("Choose at least one membership status."))
        return {"kind": kind, "statuses": sorted(set(statuses))}
    if kind == "life_event":
        status = raw.get("status")
        if status not in dict(life_event_statuses()):
            raise ValidationError(_("Choose a status."))
        return {"kind": kind, "status": status}
    pk = _int(raw.get("field"), low=1, high=2**63 - 1, message=_("Choose a custom field."))
    field = CustomField.objects.for_union(union).filter(pk=pk, archived=False).first()
    if field is None:
        raise ValidationError(_("Choose one of your union's own custom fields."))
    value = str(raw.get("value", ""))[:200]
    if value and not _parses(field, value):
        raise ValidationError(_("The value does not fit the field %(field)s.")
                              % {"field": field.label})
    return {"kind": kind, "field": pk, "value": value}


def _parses(field, value) -> bool:
    try:
        custom_selectors.value_q(field, custom_selectors._range(field, value))
    except (ValueError, ArithmeticError, TypeError):
        return False
    return True


def validate_rule(union, rule) -> dict | None:
    """The rule checked and normalised, or None for "no automation". Another union's
    branch or field, an unknown kind, a bad value: ValidationError."""
    if rule in (None, {}, ""):
        return None
    if not isinstance(rule, dict) or not isinstance(rule.get("conditions"), list):
        raise ValidationError(_("Unknown condition."))
    conditions = [_condition(union, raw) for raw in rule["conditions"][:10]]
    return {"conditions": conditions} if conditions else None


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def rule_q(union, rule, *, today: dt.date | None = None) -> Q:
    """The people the (validated) rule selects, as a condition on Person. Conditions that
    no longer validate (a branch deleted since) select nobody."""
    today = today or timezone.localdate()
    q = Q()
    for condition in rule["conditions"]:
        kind = condition["kind"]
        if kind == "branch":
            q &= Q(branch_id=condition["branch"])
        elif kind == "age":
            q &= Q(birth_date__isnull=False)
            if condition["min"] is not None:
                q &= Q(birth_date__lte=_years_ago(today, condition["min"]))
            if condition["max"] is not None:
                q &= Q(birth_date__gt=_years_ago(today, condition["max"] + 1))
        elif kind == "status":
            q &= Q(membership_status__in=condition["statuses"])
        elif kind == "life_event":
            q &= Q(pk__in=life_selectors.filter_people(
                Person.objects.for_union(union), union=union,
                status=condition["status"]).values("pk"))
        elif kind == "custom_field":
            field = CustomField.objects.for_union(union).filter(pk=condition["field"]).first()
            if field is None:
                return Q(pk__in=[])
            value = condition["value"]
            if value == "":
                q &= Q(custom_values__values__has_key=field.key)
            else:
                q &= custom_selectors.value_q(field, custom_selectors._range(field, value))
    return q


def describe(union, rule) -> str:
    """The rule in words, for the page and the log ("why did they enter")."""
    if not rule:
        return ""
    parts = []
    for condition in rule["conditions"]:
        kind = condition["kind"]
        if kind == "branch":
            page = BranchPage.objects.for_union(union).filter(pk=condition["branch"]).first()
            parts.append(_("branch %(name)s") % {"name": page.title if page else "?"})
        elif kind == "age":
            low, high = condition["min"], condition["max"]
            if low is not None and high is not None:
                parts.append(_("age %(low)s–%(high)s") % {"low": low, "high": high})
            elif low is not None:
                parts.append(_("age at least %(low)s") % {"low": low})
            else:
                parts.append(_("age at most %(high)s") % {"high": high})
        elif kind == "status":
            labels = dict(MembershipStatus.choices)
            parts.append(_("membership status %(names)s") % {
                "names": " / ".join(str(labels[s]) for s in condition["statuses"])})
        elif kind == "life_event":
            parts.append(str(dict(life_event_statuses()).get(condition["status"],
                                                              condition["status"])))
        else:
            field = CustomField.objects.for_union(union).filter(pk=condition["field"]).first()
            parts.append(_("%(field)s = %(value)s") % {
                "field": field.label if field else "?",
                "value": condition["value"] or _("any value")})
    return ", ".join(parts)
