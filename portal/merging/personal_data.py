"""Merge records, declared to the registry (docs/privacy.md). The undo snapshot holds
the merged people's rows for 30 days (forget_expired_snapshots)."""

from portal.privacy.registry import (
    Basis,
    Category,
    Erasure,
    Personal,
    Retention,
    Source,
    Subject,
    declare,
)

from .models import DismissedPair, MergeRecord

MERGE = Personal(Category.LOG, Basis.LEGITIMATE, Source.STAFF, Retention.LOG, Erasure.ANONYMISE)
SNAPSHOT = MERGE.but(retention=Retention.SHORT, erasure=Erasure.ERASE)

declare(MergeRecord, subjects={"kept_id": Subject.PERSON, "removed_id": Subject.PERSON},
        fields={**MERGE.on("kept_id", "removed_id", "merged_by", "merged_at", "undone_at",
                           "undone_by"),
                # The record is kept on erasure, the names on it are not.
                **MERGE.but(erasure=Erasure.ERASE).on("kept_name", "removed_name"),
                **SNAPSHOT.on("chosen", "kept_before", "kept_after", "removed_person",
                              "moved", "deleted", "kept_rows")})
declare(DismissedPair, subjects={"first_id": Subject.PERSON, "second_id": Subject.PERSON},
        fields=MERGE.on("first_id", "second_id", "dismissed_by", "dismissed_at"))
