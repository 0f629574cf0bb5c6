"""Small facts about the signed-in user, kept briefly in each process's cache.

Every page's chrome asks the same questions about its viewer: which roles they hold,
whether they have a profile (and so a member card and an activity stream) in this union,
how many unread events they have. Each was a query on every page view. Here each answer
is kept for `VIEWER_CACHE_SECONDS` under a key made of

- the union's generation (`sections.generation`): replaced by any change to the union's
  people, employments, positions of trust or pages, so a new profile or position counts
  at once in the process that made it;
- the user's `roles_changed_at`, which a change of their groups (roles) sets on their
  row: every request loads that row anyway, so a role granted or taken away counts at
  once in every process;
- the user's generation in this process, replaced when they read their events
  (`forget_viewer`).

Other changes reach other processes within VIEWER_CACHE_SECONDS (30 s by default; the
cache is each process's memory): a new profile, position or event elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from . import sections

T = TypeVar("T")


def _user_generation(user_id: int) -> int:
    return sections.current_generation(f"viewer:generation:{user_id}")


def forget_viewer(user_id: int | None) -> None:
    """Drop every cached fact about this user (in this process at once)."""
    if user_id is not None:
        sections.renew_generation(f"viewer:generation:{user_id}")


def viewer_fact(*, union_id: int, user, name: str, build: Callable[[], T]) -> T:
    """`build()`'s value for this user in this union, from the cache when fresh."""
    changed = getattr(user, "roles_changed_at", None)
    key = (f"viewer:{union_id}:{sections.generation(union_id)}:{user.pk}:"
           f"{changed.timestamp() if changed else 0}:{_user_generation(user.pk)}:{name}")
    # Wrapped, so that a cached None or 0 is a hit.
    entry = cache.get(key)
    if entry is None:
        entry = (build(),)
        cache.set(key, entry, timeout=settings.VIEWER_CACHE_SECONDS)
    return entry[0]


def _roles_changed(user_ids):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    user_ids, now = list(user_ids), timezone.now()
    # An UPDATE, not save(): no signals, and no other field of the rows is written.
    get_user_model().objects.filter(pk__in=user_ids).update(roles_changed_at=now)
    for user_id in user_ids:
        forget_viewer(user_id)
    return now


def connect_receivers() -> None:
    """A change of users' groups (their roles), from either side, marks their rows."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed

    user_model = get_user_model()

    def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
        if not reverse:  # user.groups.add(...): the instance is the user
            if action.startswith("post_"):
                instance.roles_changed_at = _roles_changed([instance.pk])
        elif action == "pre_clear":  # group.user_set.clear(): remember who was in it
            instance._viewer_members = list(
                user_model.objects.filter(groups=instance).values_list("pk", flat=True))
        elif action.startswith("post_"):  # group.user_set.add(...): the users in pk_set
            _roles_changed(pk_set or getattr(instance, "_viewer_members", ()))

    # weak=False: the receiver is a closure that nothing else holds on to.
    m2m_changed.connect(groups_changed, sender=user_model.groups.through, weak=False,
                        dispatch_uid="viewer-groups-changed")
