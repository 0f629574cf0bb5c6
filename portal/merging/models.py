"""Merges of duplicate people and pairs dismissed as not duplicates (issue 15 item 6).

People are referred to by plain ids, not foreign keys: the removed person no longer
exists, and a merge moves every foreign key pointing at a person (merging/moves.py), so
these rows must not be among them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel

UNDO_DAYS = 30


class DismissedPair(UnionOwnedModel):
    """Two people a staff member said are not the same person; not listed again."""

    first_id = models.BigIntegerField(_("person"))  # the lower id
    second_id = models.BigIntegerField(_("person"))
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    dismissed_at = models.DateTimeField(_("dismissed"), default=timezone.now)

    class Meta:
        verbose_name = _("dismissed duplicate pair")
        verbose_name_plural = _("dismissed duplicate pairs")
        constraints = [models.UniqueConstraint(fields=["union", "first_id", "second_id"],
                                               name="one_dismissal_per_pair")]

    def __str__(self) -> str:
        return f"{self.first_id}/{self.second_id}"


class MergeRecord(UnionOwnedModel):
    """One merge: who was kept, who was removed, and a snapshot to undo it exactly.

    `removed_person` and `deleted` are rows serialised with Django's JSON serializer
    (restored with their original ids); `moved` lists, per table and foreign key, the
    ids of the rows moved from the removed person to the kept one; `kept_rows` the kept
    person's one-to-one rows before they took the removed one's values; `kept_before`
    and `kept_after` the kept person's changed fields (attname → JSON value)."""

    kept_id = models.BigIntegerField(_("kept person"), db_index=True)
    removed_id = models.BigIntegerField(_("removed person"), db_index=True)
    kept_name = models.CharField(_("kept person"), max_length=201)
    removed_name = models.CharField(_("removed person"), max_length=201)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    merged_at = models.DateTimeField(_("merged"), default=timezone.now)
    chosen = models.JSONField(_("values taken from the removed person"), default=list)
    kept_before = models.JSONField(default=dict)
    kept_after = models.JSONField(default=dict)
    removed_person = models.JSONField(default=list)
    moved = models.JSONField(default=list)
    deleted = models.JSONField(default=list)
    kept_rows = models.JSONField(default=list)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("merge record")
        verbose_name_plural = _("merge records")
        ordering = ["-merged_at", "-pk"]
        indexes = [models.Index(fields=["union", "-merged_at"])]

    def __str__(self) -> str:
        return f"{self.removed_name} → {self.kept_name}"

    @property
    def undo_until(self) -> dt.datetime:
        return self.merged_at + dt.timedelta(days=UNDO_DAYS)

    def can_be_undone(self, now: dt.datetime | None = None) -> bool:
        return self.undone_at is None and (now or timezone.now()) <= self.undo_until

    @property
    def moved_count(self) -> int:
        return sum(len(ids) for _label, _field, ids in self.moved)
