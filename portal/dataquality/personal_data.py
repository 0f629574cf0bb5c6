"""Data quality, declared to the registry (docs/privacy.md)."""

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

from .models import QualitySnapshot

declare(QualitySnapshot, subjects={"requested_by": Subject.USER}, fields={
    "requested_by": Personal(Category.LOG, Basis.LEGITIMATE, Source.SYSTEM, Retention.LOG,
                             Erasure.ANONYMISE)},
    not_personal={"counts": "numbers of findings per check, no people"})
