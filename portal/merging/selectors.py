"""Reads of compare and merge: the candidate pairs (the data-quality rules, through
portal/dataquality's selector), the two people side by side, the merge records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.adminpanel.links import person_admin_url
from portal.dataquality.selectors import duplicate_pairs, reason_label
from portal.people.models import Employment, Person, PositionOfTrust, Training

from . import moves
from .actions import choosable_fields
from .models import DismissedPair, MergeRecord

# Tables shown on the comparison by their row count only (one row per bulletin or event).
COUNT_ONLY = {"messaging.Delivery", "activity.ActivityEvent"}
LISTED = 10  # rows shown per table and person


def dismissed(union) -> frozenset[tuple[int, int]]:
    return frozenset(DismissedPair.objects.for_union(union).values_list("first_id", "second_id"))


def candidates(union, *, query: str = "", page_number=1) -> Page:
    """One page (50) of duplicate candidates: the data-quality check's pairs (similar
    names with the same postal code, email or date of birth) and people sharing an
    identity code, less the pairs dismissed as not duplicates."""
    page = duplicate_pairs(union, query=query, exclude=dismissed(union),
                           page_number=page_number)
    for pair in page.object_list:
        pair.reason_label = reason_label(pair.reason)
        pair.people = (pair.first, pair.second)
        pair.facts = [identifying(pair.first), identifying(pair.second)]
    return page


def identifying(person: Person) -> list[tuple[str, str]]:
    """What tells two people of one name apart, as staff read it: member number, date
    of birth, branch, email ("–" when missing). Shown with each person wherever a pair is
    compared (the candidates, the comparison's columns and sides, the confirmation)."""
    return [
        (_("Member number"), person.member_number or "–"),
        (_("Date of birth"),
         date_format(person.birth_date, "SHORT_DATE_FORMAT") if person.birth_date else "–"),
        (_("Branch"), person.branch.title if person.branch_id else "–"),
        (_("Email"), person.email or "–"),
    ]


def tag(person: Person) -> str:
    """The person's name with their member number (or date of birth, or email): which
    of two Matti Virtanens a choice means."""
    detail = person.member_number or (
        date_format(person.birth_date, "SHORT_DATE_FORMAT") if person.birth_date else "") \
        or person.email
    return f"{person.full_name} ({detail})" if detail else person.full_name


@dataclass
class Side:
    person: Person
    url: str
    facts: list = field(default_factory=list)  # identifying(person)
    tag: str = ""  # tag(person): the name and member number
    employments: list = field(default_factory=list)
    positions: list = field(default_factory=list)
    trainings: list = field(default_factory=list)
    other: list = field(default_factory=list)  # (table's name, count, [rows shown])


@dataclass
class FieldRow:
    name: str
    label: str
    a: str
    b: str
    differs: bool
    default: str  # "a" or "b": the kept person's value unless it is empty


def _display(person: Person, model_field) -> str:
    if model_field.choices:
        return getattr(person, f"get_{model_field.name}_display")()
    value = getattr(person, model_field.name)
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return "" if value is None else str(value)


def _side(union, person: Person) -> Side:
    side = Side(person=person, url=person_admin_url(person.pk), facts=identifying(person),
                tag=tag(person))
    side.employments = list(Employment.objects.for_union(union).filter(person=person)
                            .select_related("employer", "workplace"))
    side.positions = list(PositionOfTrust.objects.for_union(union).filter(person=person)
                          .select_related("scope_page"))
    side.trainings = list(Training.objects.for_union(union).filter(person=person))
    shown = {"people.Employment", "people.PositionOfTrust", "people.Training"}
    for model, fk in moves.person_relations():
        label = model._meta.label
        if label in shown:
            continue
        rows = model._base_manager.filter(**{fk.attname: person.pk})
        count = rows.count()
        if not count:
            continue
        listed = [] if label in COUNT_ONLY else [
            text for text in (_row_text(row, fk) for row in rows[:LISTED]) if text]
        side.other.append((str(model._meta.verbose_name_plural), count, listed))
    return side


def _row_text(row, person_fk) -> str:
    """A row of another app's table in words for staff: its own fields as the admin shows
    them (a related row by its name, a choice by its label, a date in the user's format),
    not `str(row)`, which is a developer's "GroupMembership object (44)" or "84: {…}".
    Ids, the union, the person and JSON are left out; nothing left: counted only."""
    parts = []
    for model_field in row._meta.concrete_fields:
        if (model_field.primary_key or model_field is person_fk
                or model_field.name == "union" or model_field.get_internal_type() in (
                    "JSONField", "BooleanField", "UUIDField", "DateTimeField")):
            continue
        if model_field.is_relation:
            value = getattr(row, model_field.name)
            if isinstance(value, Person):
                value = f"{value.first_name} {value.last_name}"
        elif model_field.choices:
            value = getattr(row, f"get_{model_field.name}_display")()
        else:
            value = getattr(row, model_field.name)
            if isinstance(value, dt.date):
                value = date_format(value, "SHORT_DATE_FORMAT")
        if value not in (None, ""):
            parts.append(str(value))
    return ", ".join(parts[:4])


def comparison(union, a: Person, b: Person) -> tuple[list[FieldRow], Side, Side]:
    """The two people's fields (which differ, the proposed choice) and their rows."""
    rows = []
    for model_field in choosable_fields():
        shown_a, shown_b = _display(a, model_field), _display(b, model_field)
        differs = getattr(a, model_field.attname) != getattr(b, model_field.attname)
        rows.append(FieldRow(model_field.name, str(model_field.verbose_name).capitalize(),
                             shown_a, shown_b, differs, "b" if not shown_a and shown_b else "a"))
    return rows, _side(union, a), _side(union, b)


def records(union, *, limit: int = 10) -> list[MergeRecord]:
    return list(MergeRecord.objects.for_union(union).select_related("merged_by")
                .defer("removed_person", "deleted", "moved", "kept_rows")[:limit])


def moved_summary(merge: MergeRecord) -> list[tuple[str, int]]:
    """(table's name, rows) moved by a merge."""
    from django.apps import apps

    summary: dict[str, int] = {}
    for label, _attname, ids in merge.moved:
        try:
            name = str(apps.get_model(label)._meta.verbose_name_plural)
        except LookupError:
            name = label
        summary[name] = summary.get(name, 0) + len(ids)
    return sorted(summary.items())


def merged_ids(union, person_id: int) -> list[int]:
    """The ids of the people merged into `person_id` (not undone), and theirs in turn:
    audit entries stay under the id they were written for (the log is append-only), so a
    person's history reads these ids too."""
    found, todo = [], [person_id]
    while todo:
        ids = list(MergeRecord.objects.for_union(union).filter(
            kept_id__in=todo, undone_at__isnull=True).values_list("removed_id", flat=True))
        todo = [pk for pk in ids if pk not in found and pk != person_id]
        found += todo
    return found
