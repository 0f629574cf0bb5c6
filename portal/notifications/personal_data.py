"""Personal data of notifications, declared to the registry (docs/privacy.md). The
notifications themselves are activity events (portal/activity/personal_data.py)."""

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

from .models import NotificationPreference, SystemMessage, SystemMessageDismissal

declare(NotificationPreference, subjects={"person": Subject.PERSON}, fields=Personal(
    Category.COMMUNICATION, Basis.CONTRACT, Source.SELF, Retention.MEMBERSHIP).on(
    "person", "kind", "delivery", "changed_at"))
declare(SystemMessageDismissal, subjects={"user": Subject.USER}, fields=Personal(
    Category.ACTIVITY, Basis.CONTRACT, Source.SELF, Retention.ACCOUNT).on(
    "user", "message", "dismissed_at"))
# The message is the union's (or the platform's) notice; who wrote it is a record of
# processing, kept with the message and anonymised when its author is erased.
declare(SystemMessage, subjects={"created_by": Subject.USER}, fields=Personal(
    Category.LOG, Basis.LEGITIMATE, Source.SYSTEM, Retention.LOG, Erasure.ANONYMISE).on(
    "created_by", "created_at"), not_personal={
    "title": "the union's notice to its roles, not about a person",
    "body": "the union's notice to its roles, not about a person",
    "translations": "the notice's title and text in the union's other languages",
    "roles": "roles the notice is for, not people"})
