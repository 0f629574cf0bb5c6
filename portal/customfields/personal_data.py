"""Custom field values, declared to the registry (docs/privacy.md). What a value means
is the union's own field; its basis is the membership contract by default."""

from portal.privacy.registry import (
    Basis,
    Category,
    Personal,
    Retention,
    Source,
    Subject,
    declare,
    declare_not_personal,
)

from .models import CustomField, PersonCustomValues

declare(PersonCustomValues, subjects={"person": Subject.PERSON}, fields=Personal(
    Category.OTHER, Basis.CONTRACT, Source.STAFF, Retention.MEMBERSHIP).on(
    "person", "values", "updated_at"))
declare_not_personal(CustomField, "a field's definition (labels, type), not values")
