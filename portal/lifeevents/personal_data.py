"""Life events, declared to the registry (docs/privacy.md)."""

from portal.privacy.registry import (
    Basis,
    Category,
    Erasure,
    Personal,
    Retention,
    Source,
    Subject,
    declare,
    declare_not_personal,
)

from .models import HouseholdLink, LifeEventSettings, TemporaryStatus

LIFE = Personal(Category.LIFE, Basis.CONTRACT, Source.STAFF, Retention.MEMBERSHIP)

declare(TemporaryStatus, subjects={"person": Subject.PERSON}, fields={
    **LIFE.on("person", "kind", "starts_on", "ends_on", "note"),
    "created_by": Personal(Category.LOG, Basis.LEGITIMATE, Source.SYSTEM, Retention.LOG,
                           Erasure.ANONYMISE)})
declare(HouseholdLink, subjects={"person_a": Subject.PERSON, "person_b": Subject.PERSON},
        fields=LIFE.on("person_a", "person_b", "kind", "created_at"))
declare_not_personal(LifeEventSettings, "the union's setting for birthday reminders")
