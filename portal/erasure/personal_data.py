"""Erasure's own records, declared to the registry (docs/privacy.md): an erasure keeps
only a pseudonym and counts; who ran it is a record of processing."""

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

from .models import ErasureRecord, RetentionPolicy

ACTOR = Personal(Category.LOG, Basis.LEGITIMATE, Source.SYSTEM, Retention.LOG, Erasure.ANONYMISE)
declare(ErasureRecord, subjects={"erased_by": Subject.USER}, fields={"erased_by": ACTOR},
        not_personal={"pseudonym": "a random name for an erased person, linked to nothing",
                      "counts": "numbers of rows per model"})
declare(RetentionPolicy, subjects={"updated_by": Subject.USER}, fields={"updated_by": ACTOR})
