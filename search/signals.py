"""Changes made outside the people actions that the search index must follow.

Pages are edited in the Wagtail admin, so their publish, unpublish and delete are
caught here. Deleting a person (erasure, removal), or an employment or position, by
whatever path, also reaches the outbox through `post_delete`.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from . import outbox
from .models import OutboxTarget


def _page_changed(sender, instance, **kwargs) -> None:
    outbox.enqueue_ids(OutboxTarget.PAGE, [instance.pk],
                       union_id=getattr(instance, "union_id", None))


def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        outbox.enqueue_ids(OutboxTarget.PAGE, [instance.pk])


def _person_deleted(sender, instance, **kwargs) -> None:
    outbox.enqueue_ids(OutboxTarget.PERSON, [instance.pk], union_id=instance.union_id)


def _person_part_deleted(sender, instance, **kwargs) -> None:
    outbox.enqueue_ids(OutboxTarget.PERSON, [instance.person_id], union_id=instance.union_id)


def _restriction_changed(sender, instance, **kwargs) -> None:
    # A view restriction hides or shows the page and everything under it.
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        ids = Page.objects.filter(path__startswith=page.path).values_list("pk", flat=True)
        outbox.enqueue_ids(OutboxTarget.PAGE, ids)


def _bulletin_visibility_changed(sender, union_id, bulletin_id, **kwargs) -> None:
    # Sent, cancelled or given its recipients: who finds the bulletin changes.
    outbox.enqueue_ids(OutboxTarget.PAGE, [bulletin_id], union_id=union_id)


def connect() -> None:
    from portal.branches.visibility import visibility_changed
    from portal.people.models import Employment, Person, PositionOfTrust

    visibility_changed.connect(_bulletin_visibility_changed,
                               dispatch_uid="search_bulletin_visibility")
    page_published.connect(_page_changed, dispatch_uid="search_page_published")
    page_unpublished.connect(_page_changed, dispatch_uid="search_page_unpublished")
    # Sent for every concrete page model too, so the handler checks the instance.
    post_delete.connect(_page_deleted, dispatch_uid="search_page_deleted")
    post_delete.connect(_person_deleted, sender=Person, dispatch_uid="search_person_deleted")
    for model in (Employment, PositionOfTrust):
        post_delete.connect(_person_part_deleted, sender=model,
                            dispatch_uid=f"search_{model.__name__}_deleted")
    for signal in (post_save, post_delete):
        signal.connect(_restriction_changed, sender=PageViewRestriction,
                       dispatch_uid=f"search_restriction_{signal is post_save}")
