"""Names of the fields an audit entry lists, in the reader's language: a person's model
fields by their verbose names, and the names views log for what they showed (a section,
an organising field). Unknown names are shown as they are (filters, other models)."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from .models import Person

# Names in audit entries that are no model field of a person: what a view showed.
ENTRY_LABELS = {
    "name": _("Name"), "basic info": _("Basic info"), "membership": _("Membership"),
    "life events": _("Life events"), "employments": _("Employments"),
    "positions": _("Positions of trust"), "trainings": _("Union trainings"),
    "groups": _("Groups"), "custom fields": _("Custom fields"), "history": _("History"),
    # Names the mapping and campaign pages log (apps above this one, so named here).
    "assessment": _("assessment"), "unit": _("unit"), "shift": _("shift"),
    "channel": _("how"), "outcome": _("outcome"), "next_step": _("next step"),
    "notes": _("notes"),
}


def audit_field_label(name: str) -> str:
    if name in ENTRY_LABELS:
        return str(ENTRY_LABELS[name])
    try:
        field = Person._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if field.auto_created and not field.concrete:
        # A reverse relation (e.g. `campaign_contacts`) has no verbose name: its model's.
        return str(field.related_model._meta.verbose_name_plural)
    return str(field.verbose_name)
