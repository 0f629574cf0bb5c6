"""Events of lower apps that become notifications (they do not import this app)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from portal.activity.models import ActivityKind
from portal.people.models import Person


def terms_saved(sender, instance, update_fields=None, **kwargs):
    """A terms version was published (portal/terms saves `published_at` alone then):
    everyone with an account in the union is told, each in their own language, by the task
    worker (a big union's hundreds of thousands of items do not fit in the request)."""
    if instance.published_at is None or not update_fields or "published_at" not in update_fields:
        return
    from .tasks import notify_terms_task

    union_id, version_id, number = instance.union_id, instance.pk, instance.number
    transaction.on_commit(lambda: notify_terms_task.enqueue(union_id, version_id, number))


def notify_terms(*, union, version_id: int, number: int) -> int:
    from .actions import notify

    people = (Person.objects.for_union(union)
              .filter(user__is_active=True, user__union=union, deceased_on__isnull=True)
              .values_list("pk", flat=True))
    # Each reader sees the title in their own language (notify's title_params).
    return notify(union=union, people=list(people), kind=ActivityKind.TERMS,
                  title=gettext_noop("The terms of use were updated (version %(number)s)"),
                  title_params={"number": number}, url=reverse("terms:current"),
                  source=f"terms:{version_id}")
