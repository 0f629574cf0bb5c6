"""The access export (issue 17 item 3): every registered field of every declared model,
for one person, read only through the registry (registry.py).

A row is the person's when one of its model's subject lookups is their profile or their
account, within their union. Other people's identities are never exported: a relation
to a person or an account (or a person's id) is shown only when it is the person's own.
Withheld fields are named with the reason, not shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from portal.people.models import Person

from . import registry
from .registry import Basis, Category, Erasure, Retention, Source, Subject

FORMAT = "union-portal/access-export/1"
# Rows above which an export is built by a task (settings.PRIVACY_EXPORT_INLINE_ROWS).
INLINE_ROWS = 5000


def inline_rows() -> int:
    return getattr(settings, "PRIVACY_EXPORT_INLINE_ROWS", INLINE_ROWS)


# Verbose names Django made from declared fields' names that no source string has: listed
# so that makemessages keeps their translations (tests/privacy: test_field_labels).
AUTO_NAMES = (
    gettext_noop("contacted by"), gettext_noop("logged by"), gettext_noop("created at"),
    gettext_noop("accepted at"), gettext_noop("accepted terms"), gettext_noop("starts on"),
    gettext_noop("ends on"), gettext_noop("invited at"), gettext_noop("invited by"),
    gettext_noop("team"), gettext_noop("designated by"), gettext_noop("erased by"),
    gettext_noop("updated by"), gettext_noop("potential"), gettext_noop("legal basis"),
    gettext_noop("credential id"), gettext_noop("public key"), gettext_noop("user handle"),
)


def _label(text) -> str:
    # Verbose names Django made from a field's name are plain strings: the catalogue
    # still has most of them ("email", "phone"), so translate at render time.
    text = str(text)
    return gettext(text)[:1].upper() + gettext(text)[1:]


def _subject_values(person: Person) -> dict[str, object]:
    return {Subject.PERSON: person.pk, Subject.USER: person.user_id}


def _filter(declaration, person: Person) -> Q | None:
    values = _subject_values(person)
    q = Q()
    for lookup, subject in declaration.subjects.items():
        if values[subject] is not None:
            q |= Q(**{lookup: values[subject]})
    return q or None


def rows_of(declaration, person: Person):
    """The declared model's rows of `person`, or None when it has none by construction."""
    if declaration.unlinked:
        return None
    q = _filter(declaration, person)
    if q is None:
        return None
    queryset = declaration.model._default_manager.filter(q)
    if any(f.name == "union" for f in declaration.model._meta.concrete_fields):
        queryset = queryset.filter(union_id=person.union_id)
    return queryset.order_by("pk")


def count_rows(person: Person) -> int:
    total = 0
    for declaration in registry.declarations():
        queryset = rows_of(declaration, person)
        if queryset is not None:
            total += queryset.count()
    return total


def _is_someone(model_field) -> bool:
    people = {Person, Person._meta.get_field("user").related_model}
    return (model_field.is_relation and model_field.related_model in people) or (
        isinstance(model_field, models.BigIntegerField) and model_field.name.endswith("_id"))


@dataclass
class Section:
    """One declared model's rows, for the JSON and the HTML summary alike."""

    model: str
    title: str
    fields: list[tuple[str, str, registry.Personal]]  # name, label, declaration
    rows: list[dict] = field(default_factory=list)
    shown: list[list[str]] = field(default_factory=list)  # display values, for HTML
    count: int = 0
    withheld: dict[str, str] = field(default_factory=dict)

    def about(self) -> dict[str, list[str]]:
        """The distinct categories, bases, sources, retention rules and erasure of the
        section's fields, as labels (the summary's line under each heading)."""
        kinds = {"category": Category, "basis": Basis, "source": Source,
                 "retention": Retention, "erasure": Erasure}
        found: dict[str, list[str]] = {key: [] for key in kinds}
        for _name, _label_text, personal in self.fields:
            for key, choices in kinds.items():
                label = str(choices(getattr(personal, key)).label)
                if label not in found[key]:
                    found[key].append(label)
        return found

    def withheld_labels(self) -> list[tuple[str, str]]:
        model = registry.declaration_of_label(self.model).model
        return [(_label(model._meta.get_field(name).verbose_name), reason)
                for name, reason in self.withheld.items()]

    @property
    def more(self) -> int:
        return self.count - len(self.shown)

    def shown_rows(self) -> list[list[tuple[str, str]]]:
        labels = [label for _name, label, _personal in self.fields]
        return [list(zip(labels, row, strict=True)) for row in self.shown]


def _display(obj, model_field, value) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(getattr(obj, f"get_{model_field.name}_display")())
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items()) or "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if hasattr(value, "isoformat"):
        from django.utils.formats import date_format
        if hasattr(value, "hour"):
            return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _section(declaration, person: Person, limit_shown: int | None) -> Section | None:
    queryset = rows_of(declaration, person)
    if queryset is None:
        return None
    model = declaration.model
    own = _subject_values(person)
    fields, withheld, related = [], {}, []
    for name, personal in declaration.fields.items():
        model_field = model._meta.get_field(name)
        if personal.withheld:
            withheld[name] = gettext(personal.withheld)
            continue
        fields.append((name, _label(getattr(model_field, "verbose_name", name)), personal))
        if model_field.is_relation and not _is_someone(model_field):
            related.append(name)
    section = Section(model=declaration.label,
                      title=_label(declaration.title or model._meta.verbose_name_plural),
                      fields=fields,
                      withheld=withheld)
    # select_related() with no names follows every non-null foreign key, however deep
    # (an activity event's union, its site, its root page…): only the named ones.
    if related:
        queryset = queryset.select_related(*related)
    labels: dict[tuple[str, object], str] = {}  # a choice's label, translated once
    for obj in queryset:
        row, shown = {"id": obj.pk}, []
        for name, _label_text, _personal in fields:
            model_field = model._meta.get_field(name)
            value = getattr(obj, model_field.attname)
            if _is_someone(model_field):
                # Only the person's own profile or account; someone else's id is left out.
                subject = (Subject.USER if model_field.is_relation
                           and model_field.related_model is not Person else Subject.PERSON)
                if value is None or value != own[subject]:
                    shown.append("—")
                    continue
                row[name] = value
                shown.append(gettext("you"))
                continue
            if model_field.is_relation and value is not None:
                value = str(getattr(obj, name))
            elif isinstance(value, (bytes, memoryview)):
                value = f"({len(value)} bytes)"
            row[name] = value
            if model_field.choices and isinstance(value, (str, int)) and value != "":
                key = (name, value)
                if key not in labels:
                    labels[key] = _display(obj, model_field, value)
                shown.append(labels[key])
            else:
                shown.append(_display(obj, model_field, value))
        section.rows.append(row)
        if limit_shown is None or len(section.shown) < limit_shown:
            section.shown.append(shown)
    section.count = len(section.rows)
    return section


def build(person: Person, *, limit_shown: int | None = None) -> tuple[dict, list[Section]]:
    """(the JSON document, its sections for the HTML summary)."""
    sections = [s for d in registry.declarations()
                if (s := _section(d, person, limit_shown)) is not None]
    legend = {
        "category": {c.value: str(c.label) for c in Category},
        "basis": {c.value: str(c.label) for c in Basis},
        "source": {c.value: str(c.label) for c in Source},
        "retention": {c.value: str(c.label) for c in Retention},
        "erasure": {c.value: str(c.label) for c in Erasure},
    }
    document = {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "union": person.union.name,
        "person_id": person.pk,
        "legend": legend,
        "data": [{
            "model": s.model,
            "title": s.title,
            "fields": {name: {"label": label, "category": p.category, "basis": p.basis,
                              "source": p.source, "retention": p.retention,
                              "erasure": p.erasure} for name, label, p in s.fields},
            "withheld": s.withheld,
            "rows": s.rows,
        } for s in sections],
        "not_linked_to_a_person": [
            {"model": d.label, "reason": gettext(d.unlinked)}
            for d in registry.declarations() if d.unlinked
        ],
    }
    return document, sections
