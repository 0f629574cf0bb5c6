"""Reads of notification preferences."""

from __future__ import annotations

from .kinds import KINDS
from .models import NotificationPreference


def deliveries_for(*, union, kind: str, person_ids: list[int]) -> dict[int, str]:
    """Each person's chosen delivery for `kind` (the kind's default where none), one query."""
    chosen = dict(NotificationPreference.objects.for_union(union)
                  .filter(kind=kind, person_id__in=person_ids)
                  .values_list("person_id", "delivery"))
    default = KINDS[kind]
    return {pk: chosen.get(pk, default) for pk in person_ids}
