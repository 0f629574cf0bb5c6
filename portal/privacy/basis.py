"""The legal-basis view of one person (issue 17 item 2): every kind of data the portal
holds on them, read from the registry (each declared model with rows present, its fields
grouped by what they were declared as), with its legal basis, source, retention rule and
when that rule ends for this person; the consents they gave and withdrew; and the last
reads of their data from the audit log. Everything is computed here (the template does no
queries).

The union's retention periods are erasure's (`erasure.RetentionPolicy`, issue 17 item 4),
which sits above privacy: it is read by name through the app registry, never imported,
and without it the rule's text stands in for a date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail import hooks

from portal.audit.models import AuditAction, AuditEntry
from portal.dpo.selectors import actor_names
from portal.messaging.models import EmailStatus
from portal.people.models import ACTIVE_MEMBER_STATUSES, MembershipStatus, Person
from portal.terms.models import TermsAcceptance, TermsVersion

from . import export, registry
from .registry import Basis, Category, Erasure, Retention, Source

# The reads of the person's data the page lists (newest first).
ACCESS_ACTIONS = (AuditAction.VIEW, AuditAction.EXPORT)
LAST_ACCESSES = 20
# Fixed periods of the registry's rules (registry.Retention says the same in words).
DELIVERY_YEARS = 2
SHORT_DAYS = 30


def _date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return date_format(value, "SHORT_DATE_FORMAT")


def _plus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)


# --- the union's retention periods -----------------------------------------------------

@dataclass(frozen=True)
class Periods:
    """The union's years after membership ends (None: no policy) and whether the daily
    retention job applies them (erasure's policy is off until an admin turns it on)."""

    membership_years: int | None = None
    automatic: bool = False
    log_years: int | None = None  # the log has no period of its own yet


def periods(union) -> Periods:
    """The union's periods from erasure's `RetentionPolicy`, if that app is installed and
    the union has one (read by model name: privacy must not import erasure)."""
    try:
        model = apps.get_model("erasure", "RetentionPolicy")
    except LookupError:
        return Periods()
    policy = model._default_manager.filter(union=union).first()
    if policy is None:
        return Periods()
    return Periods(membership_years=getattr(policy, "years_after_membership_end", None),
                   automatic=bool(getattr(policy, "enabled", False)))


def membership_end(person: Person) -> dt.date | None:
    """When the membership ended: the date of death, else the last valid day of a
    membership that is no longer active. None while it lasts or when the register gives
    no date."""
    if person.deceased_on:
        return person.deceased_on
    if person.membership_status in ACTIVE_MEMBER_STATUSES:
        return None
    return person.membership_valid_until


def _applied_automatically(person: Person, union_periods: Periods) -> bool:
    # erasure.actions.due_for_retention: resigned members of a union with the policy on.
    return (union_periods.automatic and not person.deceased_on
            and person.membership_status == MembershipStatus.RESIGNED)


def _ends(rule: str, person: Person, union_periods: Periods, latest) -> str:
    """When `rule` ends for this person, in words with the date where one follows."""
    if rule == Retention.MEMBERSHIP:
        end = membership_end(person)
        if end is None:
            if person.membership_status in ACTIVE_MEMBER_STATUSES and not person.deceased_on:
                return _("Not running: the membership continues")
            return _("Unknown: no end date of the membership in the register")
        years = union_periods.membership_years
        if years is None:
            return _("The union's period after %(end)s (the end of membership); the period "
                     "is not set") % {"end": _date(end)}
        values = {"date": _date(_plus_years(end, years)), "end": _date(end), "years": years}
        if _applied_automatically(person, union_periods):
            return _("%(date)s (membership ended %(end)s, + %(years)s years)") % values
        return _("%(date)s (membership ended %(end)s, + %(years)s years); not anonymised "
                 "automatically: erase by hand") % values
    if rule == Retention.ACCOUNT:
        return (_("When the account is removed") if person.user_id
                else _("No account"))
    if rule == Retention.LOG:
        if union_periods.log_years is not None and latest:
            return _("Each entry %(years)s years after it was made; the newest on "
                     "%(date)s") % {"years": union_periods.log_years, "date": _date(
                         _plus_years(timezone.localdate(latest), union_periods.log_years))}
        return _("The log's period; pseudonymised if the person is erased")
    if rule == Retention.DELIVERY and latest:
        return _("Each 24 months after sending; the newest on %(date)s") % {
            "date": _date(_plus_years(timezone.localdate(latest), DELIVERY_YEARS))}
    if rule == Retention.SHORT and latest:
        return _("By %(date)s") % {
            "date": _date(timezone.localdate(latest) + dt.timedelta(days=SHORT_DAYS))}
    if rule == Retention.CONSENT:
        return _("When the consent is withdrawn")
    if rule == Retention.PUBLISHED:
        return _("When no longer published")
    return str(Retention(rule).label)


# --- what is held -----------------------------------------------------------------------

@dataclass
class Group:
    """Fields of one model declared alike: what they are and how they are held."""

    fields: list[str]
    category: str
    basis: str
    basis_code: str
    source: str
    retention: str
    ends: str
    erasure: str
    consent_date: str = ""


@dataclass
class Holding:
    title: str
    model: str
    count: int
    groups: list[Group] = field(default_factory=list)


def _date_fields(model, names) -> list[str]:
    return [n for n in names if isinstance(model._meta.get_field(n),
                                           (models.DateField, models.DateTimeField))]


def _latest(queryset, model, names) -> dt.datetime | dt.date | None:
    """The newest date among the group's declared date fields (one aggregate)."""
    dates = _date_fields(model, names)
    if not dates:
        return None
    found = queryset.aggregate(**{f"d{i}": Max(n) for i, n in enumerate(dates)})
    values = [v for v in found.values() if v is not None]
    values = [v if isinstance(v, dt.datetime) else
              timezone.make_aware(dt.datetime.combine(v, dt.time())) for v in values]
    return max(values) if values else None


def holdings(person: Person, union_periods: Periods | None = None) -> list[Holding]:
    """Each declared model with rows of this person (one COUNT per model, and one MAX
    for the rules whose end follows from the rows' own dates)."""
    union_periods = union_periods or periods(person.union)
    found = []
    for declaration in registry.declarations():
        queryset = export.rows_of(declaration, person)
        if queryset is None:
            continue
        count = queryset.count()
        if not count:
            continue
        model = declaration.model
        holding = Holding(title=export._label(declaration.title or
                                              model._meta.verbose_name_plural),
                          model=declaration.label, count=count)
        grouped: dict[tuple, list[str]] = {}
        for name, personal in declaration.fields.items():
            key = (personal.category, personal.basis, personal.source, personal.retention,
                   personal.erasure)
            grouped.setdefault(key, []).append(name)
        for (category, basis, source, retention, erasure), names in grouped.items():
            dated = retention in (Retention.DELIVERY, Retention.SHORT, Retention.LOG) \
                or basis == Basis.CONSENT
            latest = _latest(queryset, model, names) if dated else None
            holding.groups.append(Group(
                fields=[export._label(getattr(model._meta.get_field(n), "verbose_name", n))
                        for n in names],
                category=str(Category(category).label), basis=str(Basis(basis).label),
                basis_code=basis, source=str(Source(source).label),
                retention=str(Retention(retention).label),
                ends=_ends(retention, person, union_periods, latest),
                erasure=str(Erasure(erasure).label),
                consent_date=_date(latest) if basis == Basis.CONSENT else ""))
        found.append(holding)
    return found


# --- consents -------------------------------------------------------------------------

@dataclass
class Consent:
    what: str
    given: bool  # False: withdrawn (or refused)
    at: dt.datetime | None
    detail: str = ""


def consents(person: Person) -> list[Consent]:
    """Consents and their withdrawals: the terms of use the account accepted (and a newer
    version not yet accepted), bulletins by email unsubscribed and subscribed again (the
    audit log keeps each change), and whatever other apps add through the hook
    `register_person_consents` (a function of the person returning Consents)."""
    union = person.union
    found: list[Consent] = []
    if person.user_id:
        accepted = list(TermsAcceptance.objects.for_union(union).filter(user_id=person.user_id)
                        .order_by("-accepted_at").values_list("version__number", "accepted_at"))
        for number, accepted_at in accepted:
            found.append(Consent(_("Terms of use, version %(number)s") % {"number": number},
                                 True, accepted_at))
        current = (TermsVersion.objects.for_union(union).filter(published_at__isnull=False)
                   .order_by("-number").values_list("number", flat=True).first())
        if current and current not in {number for number, _at in accepted}:
            found.append(Consent(_("Terms of use, version %(number)s") % {"number": current},
                                 False, None, _("Not accepted yet")))
    email_changes = AuditEntry.objects.for_union(union).filter(
        person_id=person.pk, target__in=("unsubscribe", "resubscribe")
    ).order_by("-created_at").values_list("target", "created_at")[:20]
    bulletins = _("Bulletins by email")
    for target, at in email_changes:
        found.append(Consent(bulletins, target == "resubscribe", at,
                             _("Subscribed again") if target == "resubscribe"
                             else _("Unsubscribed")))
    if not any(c.what == bulletins for c in found):
        status = EmailStatus.objects.for_union(union).filter(
            person=person, unsubscribed_at__isnull=False).values_list(
            "unsubscribed_at", flat=True).first()
        if status:
            found.append(Consent(bulletins, False, status, _("Unsubscribed")))
    for hook in hooks.get_hooks("register_person_consents"):
        found.extend(hook(person))
    return found


# --- last accesses --------------------------------------------------------------------

def last_accesses(person: Person, limit: int = LAST_ACCESSES) -> list[dict]:
    """The last views and exports of the person's data: who (by name, among the union's
    accounts), when, what and where."""
    union = person.union
    entries = list(AuditEntry.objects.for_union(union)
                   .filter(person_id=person.pk, action__in=ACCESS_ACTIONS)
                   .order_by("-created_at", "-pk")
                   .values("actor_id", "action", "target", "created_at")[:limit])
    names = actor_names(union, {e["actor_id"] for e in entries if e["actor_id"]})
    for entry in entries:
        entry["name"] = (_("the person themself") if entry["actor_id"]
                         and entry["actor_id"] == person.user_id
                         else names.get(entry["actor_id"], "") or _("the system"))
        entry["action_label"] = AuditAction(entry["action"]).label
    described = described_targets(union, {e["target"] for e in entries if e["target"]})
    for entry in entries:
        entry["where"] = described.get(entry["target"], "")
    return entries


def described_targets(union, targets: set[str]) -> dict[str, str]:
    """Audit targets in words, in the reader's language, from the apps that wrote them:
    each function registered with the hook `describe_audit_targets` takes the union and
    the set of targets and returns {target: text} for those it knows (one query per app
    for the lot, whatever the number). A target no app describes is shown as it is."""
    found: dict[str, str] = {}
    for hook in hooks.get_hooks("describe_audit_targets"):
        found.update(hook(union, targets - set(found)) or {})
    return found
