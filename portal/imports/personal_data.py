"""Imports, declared to the registry (docs/privacy.md): the uploaded file and rejected
rows hold people's data but belong to the import, not to a profile."""

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

from .models import ImportFile, ImportJob, ImportRowError

UPLOADED = Personal(Category.OTHER, Basis.CONTRACT, Source.STAFF, Retention.SHORT)

declare(ImportJob, subjects={"created_by": Subject.USER}, fields={
    **Personal(Category.LOG, Basis.LEGITIMATE, Source.SYSTEM, Retention.LOG,
               Erasure.ANONYMISE).on("created_by", "created_at", "file_name", "kind")},
    not_personal={"headers": "the file's column headings", "mapping": "column to field",
                  "message": "the run's outcome in words (counts, errors)"})
declare(ImportFile, unlinked="the uploaded file as it came; its rows become people's "
        "rows (declared there)", fields={"data": UPLOADED})
declare(ImportRowError, unlinked="a rejected row of a file, linked to no profile",
        fields=UPLOADED.on("value", "reason"))
