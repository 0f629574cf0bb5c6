"""Personal data of the activity stream, declared to the registry (docs/privacy.md)."""

from portal.privacy.registry import Basis, Category, Personal, Retention, Source, Subject, declare

from .models import ActivityEvent

declare(ActivityEvent, subjects={"person": Subject.PERSON}, fields=Personal(
    Category.ACTIVITY, Basis.CONTRACT, Source.SYSTEM, Retention.MEMBERSHIP).on(
    "person", "kind", "title", "title_msgid", "title_params", "url", "occurs_at", "read_at",
    "mail"))
