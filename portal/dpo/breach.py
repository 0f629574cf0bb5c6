"""Reading breach worksheets (issue 17 item 6): a worksheet's prefill from a misuse
alert, its 72-hour timeline and its change history from the audit log. Everything the
worksheet pages show is computed here, so the templates do no queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.audit.models import AuditAction, AuditEntry
from portal.privacy.registry import Category

from .models import Alert, AlertKind, BreachWorksheet
from .selectors import actor_names

# What a profile view or export shows: the kinds of data prefilled for an alert.
PROFILE_KINDS = [Category.IDENTITY, Category.CONTACT, Category.MEMBERSHIP]


def _local(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def people_in(alert: Alert) -> int:
    """How many people the alert's evidence counts (each rule names its own number)."""
    evidence = alert.evidence or {}
    for key in ("people_viewed", "people_read", "people_exported"):
        if evidence.get(key):
            return int(evidence[key])
    return alert.count


def prefill(alert: Alert) -> dict:
    """A new worksheet's values from an alert: the officer corrects them."""
    if alert.kind == AlertKind.MANY_EXPORTS:
        evidence = _("%(exports)s exports of %(people)s people's data.") % {
            "exports": alert.evidence.get("exports", alert.count),
            "people": alert.evidence.get("people_exported", "?")}
    else:
        evidence = _("%(people)s people's data read.") % {"people": people_in(alert)}
    what = _("Misuse alert: %(kind)s, %(first)s – %(last)s. %(evidence)s") % {
        "kind": alert.get_kind_display(), "first": _local(alert.first_at),
        "last": _local(alert.last_at), "evidence": evidence}
    return {"what_happened": what, "people_affected": people_in(alert),
            "account_email": alert.actor.email if alert.actor_id else "",
            "data_categories": [str(kind) for kind in PROFILE_KINDS],
            # The earliest the union could have known: the stricter deadline.
            "discovered_at": timezone.localtime(alert.created_at).replace(second=0,
                                                                          microsecond=0)}


@dataclass
class Timeline:
    discovered_at: dt.datetime
    deadline: dt.datetime
    reported_at: dt.datetime | None
    state: str  # "open", "overdue", "on_time", "late"
    hours: int  # left (open) or past the deadline (overdue, late)
    minutes: int

    @property
    def urgent(self) -> bool:
        return self.state == "overdue" or (self.state == "open" and self.hours < 24)


def timeline(worksheet: BreachWorksheet, now: dt.datetime | None = None) -> Timeline:
    now = now or timezone.now()
    deadline = worksheet.deadline
    if worksheet.reported_at:
        state = "on_time" if worksheet.reported_at <= deadline else "late"
        gap = abs(worksheet.reported_at - deadline) if state == "late" else dt.timedelta()
    else:
        state = "open" if now <= deadline else "overdue"
        gap = abs(deadline - now)
    minutes = int(gap.total_seconds() // 60)
    return Timeline(worksheet.discovered_at, deadline, worksheet.reported_at, state,
                    minutes // 60, minutes % 60)


def labelled(union, worksheets: list[BreachWorksheet]) -> list[BreachWorksheet]:
    """Each worksheet with its timeline and its account's name (one query)."""
    names = actor_names(union, {w.account_id for w in worksheets if w.account_id})
    now = timezone.now()
    for worksheet in worksheets:
        worksheet.timeline = timeline(worksheet, now)
        worksheet.account_name = names.get(worksheet.account_id, "")
        worksheet.kinds = [str(Category(code).label) for code in worksheet.data_categories
                           if code in Category.values]
    return worksheets


def history(worksheet: BreachWorksheet) -> list[dict]:
    """Who created and changed the worksheet, when, and which fields (from the audit
    log, where every change is recorded)."""
    entries = list(AuditEntry.objects.for_union(worksheet.union)
                   .filter(target=f"dpo:worksheet:{worksheet.pk}",
                           action__in=[AuditAction.CREATE, AuditAction.EDIT])
                   .order_by("-created_at", "-pk").values("actor_id", "action", "fields",
                                                          "created_at")[:100])
    names = actor_names(worksheet.union, {e["actor_id"] for e in entries if e["actor_id"]})
    labels = {f.name: str(f.verbose_name) for f in BreachWorksheet._meta.fields}
    for entry in entries:
        entry["name"] = names.get(entry["actor_id"], "")
        entry["action_label"] = AuditAction(entry["action"]).label
        entry["field_labels"] = [labels.get(name, name) for name in entry["fields"] or []]
    return entries
