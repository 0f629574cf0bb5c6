"""Groups, declared to the registry (docs/privacy.md)."""

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

from .models import Group, GroupLogEntry, GroupMembership

GROUP = Personal(Category.MEMBERSHIP, Basis.ART9, Source.STAFF, Retention.MEMBERSHIP)
ACTOR = Personal(Category.LOG, Basis.LEGITIMATE, Source.SYSTEM, Retention.LOG, Erasure.ANONYMISE)

declare(GroupMembership, subjects={"person": Subject.PERSON}, fields={
    **GROUP.on("person", "group", "source", "added_at"), "added_by": ACTOR})
declare(GroupLogEntry, subjects={"person": Subject.PERSON}, fields={
    **GROUP.but(retention=Retention.LOG, erasure=Erasure.ANONYMISE).on(
        "person", "group", "change", "source", "at"), "actor": ACTOR,
    # Kept in the log on erasure, but a free-text reason may name the person: emptied.
    "reason": GROUP.but(retention=Retention.LOG)})
declare_not_personal(Group, "a group's name and rule, not a person's")
