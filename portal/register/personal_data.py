"""The member register's conflicts, declared to the registry (docs/privacy.md)."""

from portal.privacy.registry import Basis, Category, Personal, Retention, Source, Subject, declare

from .models import Conflict

declare(Conflict, subjects={"person": Subject.PERSON}, fields=Personal(
    Category.OTHER, Basis.CONTRACT, Source.REGISTER, Retention.MEMBERSHIP).on(
    "person", "key", "field", "portal_value", "register_value", "portal_changed_at",
    "register_changed_at", "winner", "created_at"))
