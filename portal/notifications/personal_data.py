"""Personal data of notifications, declared to the registry (docs/privacy.md). The
notifications themselves are activity events (portal/activity/personal_data.py)."""

from portal.privacy.registry import Basis, Category, Personal, Retention, Source, Subject, declare

from .models import NotificationPreference

declare(NotificationPreference, subjects={"person": Subject.PERSON}, fields=Personal(
    Category.COMMUNICATION, Basis.CONTRACT, Source.SELF, Retention.MEMBERSHIP).on(
    "person", "kind", "delivery", "changed_at"))
