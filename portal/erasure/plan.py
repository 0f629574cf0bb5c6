"""What erasing a person does, read from the registry of personal data (portal/privacy/
registry.py, whose docstring states the rules): per declared model and subject lookup,
how many rows are erased, how many are kept anonymised, and why.

The same plan is shown on the confirmation page and carried out by `engine.py`, so what
staff confirm is exactly what happens. Person, User and AuditEntry are special (the
profile stub, the account, the append-only log's pseudonyms): `SPECIAL` below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from portal.people.models import Person
from portal.privacy import registry
from portal.privacy.export import rows_of
from portal.privacy.registry import Basis, Erasure, Retention, Subject

SPECIAL = ("people.person", "accounts.user", "audit.auditentry")
CUSTOM = "custom"


class CannotClear(Exception):
    """A declaration the default erasure cannot carry out (a kept row's ERASE field that
    cannot be emptied, an account link that cannot be NULL): fix the declaration or give
    it `erase_with`."""


def empty_value(model_field):
    """What an erased value becomes in a row that is kept."""
    if model_field.null:
        return None
    if isinstance(model_field, models.JSONField):
        return model_field.get_default()
    if isinstance(model_field, (models.CharField, models.TextField)):
        return ""
    if isinstance(model_field, models.BinaryField):
        return b""
    raise CannotClear(f"{model_field.model._meta.label}.{model_field.name} cannot be emptied")


def _subject_value(person: Person, subject: str):
    return person.pk if subject == Subject.PERSON else person.user_id


def _in_union(model) -> bool:
    return any(f.name == "union" for f in model._meta.concrete_fields)


@dataclass
class Step:
    declaration: registry.ModelDeclaration
    lookup: str  # "" for a custom eraser (all the model's rows of the person)
    action: str  # Erasure.ERASE, Erasure.ANONYMISE or CUSTOM
    count: int = 0
    # For a kept row: the values set (the account link NULLed, ERASE fields emptied).
    changes: dict[str, object] = field(default_factory=dict)
    why: str = ""

    @property
    def model(self):
        return self.declaration.model

    def rows(self, person: Person):
        if self.action == CUSTOM:
            found = rows_of(self.declaration, person)  # None: no rows by construction
            return self.model._default_manager.none() if found is None else found
        value = _subject_value(person, self.declaration.subjects[self.lookup])
        if value is None:  # never "IS NULL": that would be other people's rows
            return self.model._default_manager.none()
        queryset = self.model._default_manager.filter(**{self.lookup: value})
        if _in_union(self.model):
            queryset = queryset.filter(union_id=person.union_id)
        return queryset


def _link_erasure(declaration, lookup: str) -> str:
    name = lookup.split("__")[0]
    personal = declaration.fields.get(name)
    if name == "pk" or personal is None:
        return Erasure.ERASE
    return personal.erasure


def _kept_changes(declaration, lookup: str) -> dict[str, object]:
    """The values a kept (anonymised) row gets. Found through the account (the person
    did something: someone else's row), only that link is NULLed. Found through the
    profile (a row about the person), the link keeps pointing at the stub (a person id
    column keeps the stub's id) and every field declared ERASE is emptied."""
    model = declaration.model
    changes = {}
    name = lookup.split("__")[0]
    link = model._meta.get_field(name)
    if declaration.subjects[lookup] == Subject.USER:
        if not link.null:
            raise CannotClear(f"{model._meta.label}.{name}: an account link of a kept row "
                              "must be nullable")
        return {link.attname: None}
    for field_name, personal in declaration.fields.items():
        if personal.erasure == Erasure.ERASE and field_name != name:
            model_field = model._meta.get_field(field_name)
            if model_field.many_to_many or model_field.one_to_many:
                raise CannotClear(f"{model._meta.label}.{field_name}: a relation to many")
            changes[model_field.attname] = empty_value(model_field)
    return changes


def _why(declaration, lookup: str) -> str:
    personal = declaration.fields.get(lookup.split("__")[0])
    if personal is None:
        return ""
    return "; ".join((str(Retention(personal.retention).label),
                      str(Basis(personal.basis).label)))


def steps_of(declaration, person: Person | None = None) -> list[Step]:
    """The steps of one declaration, without counts (raises CannotClear). Given a person
    without an account, no step looks rows up by account (a NULL would match others')."""
    if declaration.unlinked or declaration.label in SPECIAL:
        return []
    if declaration.erase_with is not None:
        return [Step(declaration, "", CUSTOM, why=_("Handled by its own eraser"))]
    steps = []
    for lookup, subject in declaration.subjects.items():
        if person is not None and _subject_value(person, subject) is None:
            continue
        if _link_erasure(declaration, lookup) == Erasure.ANONYMISE:
            steps.append(Step(declaration, lookup, Erasure.ANONYMISE,
                              changes=_kept_changes(declaration, lookup),
                              why=_why(declaration, lookup)))
        else:
            steps.append(Step(declaration, lookup, Erasure.ERASE))
    # Kept rows are unlinked first, then erased rows deleted (a row both ways goes).
    return sorted(steps, key=lambda step: step.action != Erasure.ANONYMISE)


def problems() -> list[str]:
    """Declarations the default erasure cannot carry out (the erasure test lists them)."""
    found = []
    for declaration in registry.declarations():
        try:
            steps_of(declaration)
        except CannotClear as error:
            found.append(str(error))
    return found


@dataclass
class Line:
    """One model on the confirmation page."""

    title: str
    label: str = ""  # the model's label (people.employment)
    erased: int = 0
    anonymised: int = 0
    why: list[str] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)


@dataclass
class Plan:
    person: Person
    steps: list[Step]
    lines: list[Line]
    unlinked: list[tuple[str, str]]

    @property
    def erased(self) -> int:
        return sum(line.erased for line in self.lines)

    @property
    def anonymised(self) -> int:
        return sum(line.anonymised for line in self.lines)


def title_of(declaration) -> str:
    text = str(declaration.title or declaration.model._meta.verbose_name_plural)
    return text[:1].upper() + text[1:]


def _label(model, attname: str) -> str:
    for model_field in model._meta.concrete_fields:
        if model_field.attname == attname:
            return str(model_field.verbose_name)
    return attname


def build(person: Person, *, count: bool = True) -> Plan:
    """The plan for `person`, with row counts (one COUNT per step) unless count=False."""
    from . import engine

    steps, lines = [], []
    for declaration in registry.declarations():
        own = steps_of(declaration, person)
        line = Line(title_of(declaration), declaration.label)
        for step in own:
            if count:
                step.count = step.rows(person).count()
            if step.action == Erasure.ANONYMISE:
                line.anonymised += step.count
                if step.count:
                    line.why.append(step.why)
                    line.cleared += [_label(step.model, name) for name in step.changes]
            else:
                line.erased += step.count
        special = engine.special_line(declaration.label, person) if count else None
        if special is not None:
            line = special
            line.label = declaration.label
        steps += own
        if line.erased or line.anonymised:
            line.why = list(dict.fromkeys(line.why))
            line.cleared = list(dict.fromkeys(line.cleared))
            lines.append(line)
    unlinked = [(title_of(d), str(_(d.unlinked))) for d in registry.declarations() if d.unlinked]
    return Plan(person, steps, lines, unlinked)
