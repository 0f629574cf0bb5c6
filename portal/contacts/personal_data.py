"""The people admin's saved filters, declared to the registry (docs/privacy.md)."""

from portal.privacy.registry import Basis, Category, Personal, Retention, Source, Subject, declare

from .models import SavedFilter

declare(SavedFilter, subjects={"user": Subject.USER}, fields=Personal(
    Category.ACCOUNT, Basis.LEGITIMATE, Source.SELF, Retention.ACCOUNT).on(
    "user", "name", "query", "created_at"))
