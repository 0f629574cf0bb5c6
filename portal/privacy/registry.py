"""The registry of personal data (issue 17 item 1): every model and field that holds
personal data, declared once, with its category, legal basis, source, retention and
whether it can be erased or only anonymised.

Apps declare in a module `personal_data.py`, which `PrivacyConfig.ready()` imports for
every installed app (like Django's `admin.py`). This module imports no app, so any app
may import it; `tests/test_registry.py` fails for a model with a field that looks
personal and is not declared. The access export (`export.py`) reads only this registry.

Erasure (`portal/erasure`, issue 17 item 4) is driven by it too, per field:
- `Erasure.ERASE` on a field: its value goes. When that field is the subject lookup a
  row was found by (e.g. `person`), the whole row is deleted.
- `Erasure.ANONYMISE` on a field: the value stays. When it is the subject lookup, the row
  is kept (law or the union's records need it) and only unlinked:
  - found through the account (`Subject.USER`: the person did something, e.g.
    `created_by`): that relation is set to NULL (so it must be nullable), nothing else
    of the row changes (it is someone else's);
  - found through the profile (`Subject.PERSON`: the row is about the person): a foreign
    key keeps pointing at the empty, anonymised profile stub (`Person.anonymised_at`), a
    plain column holding the person's id keeps the stub's id, and every field of the row
    declared ERASE is cleared: NULL when nullable, else "" for text, the field's empty
    default for JSON. So declare ERASE on the text of a kept row that names or reaches
    the person (an email address, a free-text reason, a stored name).
- A lookup that is not a field (`pk`) counts as ERASE.
- `erase_with=function`: when the default cannot do it right, `function(person, rows)`
  is called instead, inside erasure's transaction, with `rows` the model's rows of the
  person (all subject lookups, within the union); it must leave nothing of the person
  in them (delete or rewrite) and may raise to abort the whole erasure.
Person, User and AuditEntry are handled by the erasure app itself (the stub, the account,
the append-only log's pseudonyms). `portal/erasure/tests` checks every declaration can be
carried out (a kept row's ERASE fields can be cleared, an account link is nullable).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    IDENTITY = "identity", _("Name and identity")
    CONTACT = "contact", _("Contact details")
    MEMBERSHIP = "membership", _("Trade union membership")
    EMPLOYMENT = "employment", _("Employment")
    TRUST = "trust", _("Positions of trust and trainings")
    LIFE = "life", _("Life situation")
    ACCOUNT = "account", _("Portal account and sign-in")
    COMMUNICATION = "communication", _("Communications")
    ACTIVITY = "activity", _("Activity in the portal")
    LOG = "log", _("Records of processing")
    OTHER = "other", _("Other information")


class Basis(models.TextChoices):
    CONTRACT = "contract", _("Membership contract (GDPR art. 6(1)(b))")
    ART9 = "art9_2d", _("Processing by a trade union of its members' data (GDPR art. 9(2)(d))")
    CONSENT = "consent", _("Consent (GDPR art. 6(1)(a))")
    LEGITIMATE = "legitimate", _("Legitimate interest (GDPR art. 6(1)(f))")
    LEGAL = "legal", _("Legal obligation (GDPR art. 6(1)(c))")


class Source(models.TextChoices):
    REGISTER = "register", _("The member register")
    SELF = "self", _("The person themself")
    OFFICIAL = "official", _("An official of the union")
    STAFF = "staff", _("The union's staff")
    SYSTEM = "system", _("Recorded by the portal")


class Retention(models.TextChoices):
    """Rules, not durations: item 4 of issue 17 turns them into dates per union."""

    MEMBERSHIP = "membership", _("During membership and the union's retention period after it ends")
    ACCOUNT = "account", _("While the portal account exists")
    LOG = "log", _("The log's retention period; pseudonymised when the person is erased")
    DELIVERY = "delivery", _("Delivery records: 24 months after sending")
    SHORT = "short", _("Deleted when no longer needed for the task (at most 30 days)")
    CONSENT = "consent", _("Until the consent is withdrawn")
    PUBLISHED = "published", _("While published on the union's pages")
    UNION_SET = "union_set", _("Until the period the union sets ends, unless the person joins")


class Erasure(models.TextChoices):
    ERASE = "erase", _("Erased")
    ANONYMISE = "anonymise", _("Anonymised (the law or the union's records require the row)")


class Subject(models.TextChoices):
    """How a row belongs to a person: through their profile or their account."""

    PERSON = "person", _("profile")
    USER = "user", _("account")


@dataclass(frozen=True)
class Personal:
    """What one field holds. `withheld`: why the access export names the field but does
    not show its value (a password hash, a key: secrets that identify nothing more)."""

    category: str
    basis: str
    source: str
    retention: str
    erasure: str = Erasure.ERASE
    withheld: str = ""

    def on(self, *names: str) -> dict[str, Personal]:
        """The same declaration for several fields: `{**P.on("first_name", "last_name")}`."""
        return dict.fromkeys(names, self)

    def but(self, **changes) -> Personal:
        return Personal(**{**self.__dict__, **changes})


@dataclass
class ModelDeclaration:
    model: type[models.Model]
    # Lookup -> Subject: the rows of a person are those whose lookup is their profile
    # (its pk for a plain integer column) or their account.
    subjects: dict[str, str]
    fields: dict[str, Personal]
    not_personal: dict[str, str] = field(default_factory=dict)
    # Why rows cannot be found per person (then the export leaves the model out).
    unlinked: str = ""
    # The heading of the model's rows in the summary (default: its verbose_name_plural).
    title: str = ""
    # Custom erasure: function(person, rows) instead of the per-field default (docstring).
    erase_with: Callable | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


@dataclass
class NotPersonal:
    model: type[models.Model]
    reason: str


_declarations: dict[str, ModelDeclaration] = {}
_not_personal: dict[str, NotPersonal] = {}


class DeclarationError(Exception):
    pass


def _check_names(model, names) -> None:
    known = {f.name for f in model._meta.get_fields()} | {"pk"}
    unknown = set(names) - known
    if unknown:
        raise DeclarationError(f"{model._meta.label}: no field(s) {sorted(unknown)}")


def declare(model, *, fields: dict[str, Personal], subjects: dict[str, str] | None = None,
            not_personal: dict[str, str] | None = None, unlinked: str = "",
            title: str = "", erase_with: Callable | None = None) -> None:
    """Declare a model's personal fields once. `not_personal` names fields that look
    personal but are not, each with the reason. `erase_with`: see the module docstring."""
    label = model._meta.label_lower
    if label in _declarations or label in _not_personal:
        raise DeclarationError(f"{label} is declared twice")
    subjects = subjects or {}
    if not subjects and not unlinked:
        raise DeclarationError(f"{label}: say whose rows these are (subjects) "
                               "or why not (unlinked)")
    _check_names(model, [*fields, *(not_personal or {})])
    _check_names(model, [lookup.split("__")[0] for lookup in subjects])
    _declarations[label] = ModelDeclaration(model, dict(subjects), dict(fields),
                                            dict(not_personal or {}), unlinked, title,
                                            erase_with)


def declare_not_personal(model, reason: str) -> None:
    """A whole model that holds no personal data although a field looks like it does."""
    label = model._meta.label_lower
    if label in _declarations or label in _not_personal:
        raise DeclarationError(f"{label} is declared twice")
    _not_personal[label] = NotPersonal(model, reason)


def _order(declaration: ModelDeclaration) -> tuple:
    # The profile first, then the rest of people's own rows, then every app's by label.
    label = declaration.label
    return (label != "people.person", not label.startswith("people."), label)


def declarations() -> list[ModelDeclaration]:
    return sorted(_declarations.values(), key=_order)


def declaration_of(model) -> ModelDeclaration | None:
    return _declarations.get(model._meta.label_lower)


def declaration_of_label(label: str) -> ModelDeclaration | None:
    return _declarations.get(label)


def not_personal_models() -> dict[str, NotPersonal]:
    return dict(_not_personal)
