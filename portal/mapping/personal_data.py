"""Workplace mapping, declared to the registry (docs/privacy.md, docs/organising.md).

Potential members and assessments are erased (issue 19, the session's contract): a
potential member is erased automatically on `erase_on` unless they join; an erased
person's assessments and placements go with them."""

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

from .models import (
    Assessment,
    DensitySnapshot,
    EmployerFacts,
    MappingSettings,
    Placement,
    PotentialMember,
    Unit,
)

MAPPED = Personal(Category.EMPLOYMENT, Basis.LEGITIMATE, Source.OFFICIAL, Retention.MEMBERSHIP,
                  Erasure.ERASE)
LOGGED = Personal(Category.LOG, Basis.LEGITIMATE, Source.SYSTEM, Retention.LOG, Erasure.ERASE)

declare(PotentialMember,
        unlinked="a colleague who is not in the register: no profile to find the row by; "
                 "seen only by the workplace's mappers and erased on its date unless they join",
        fields={
            **MAPPED.but(category=Category.IDENTITY, retention=Retention.UNION_SET).on(
                "first_name", "last_name"),
            **MAPPED.but(category=Category.CONTACT, retention=Retention.UNION_SET).on(
                "phone", "email"),
            **MAPPED.but(retention=Retention.UNION_SET).on(
                "workplace", "job_title", "unit", "shift", "erase_on", "legal_basis"),
            **LOGGED.on("added_by", "created_at"),
        })
declare(Assessment, subjects={"person": Subject.PERSON}, fields={
    **MAPPED.on("person", "potential", "workplace", "level", "assessed_on", "note"),
    **LOGGED.on("assessed_by", "created_at"),
})
declare(Placement, subjects={"person": Subject.PERSON},
        fields=MAPPED.on("person", "workplace", "unit", "shift"))
declare_not_personal(Unit, "a department, unit or shift of a workplace")
declare_not_personal(MappingSettings, "the union's settings for workplace mapping")
declare_not_personal(EmployerFacts, "an employer's reported head count")
declare_not_personal(DensitySnapshot, "counts of members per unit, workplace, employer, branch")
