"""Small facts about the signed-in user, kept briefly in each process's cache.

Every page's chrome asks the same questions about its viewer: which roles they hold,
whether they have a profile (and so a member card and an activity stream) in this union,
how many unread events they have. Each was a query on every page view. Here each answer
is kept for `VIEWER_CACHE_SECONDS` under a key made of

- the union's generation (`sections.generation`): replaced by any change to the union's
  people, employments, positions of trust or pages, so a new profile or position counts
  at once in the process that made it;
- the user's own generation: replaced when their groups (roles) change or when they
  read their events (`forget_viewer`).

Other processes see a change within VIEWER_CACHE_SECONDS (30 s by default; the cache is
each process's memory). What only a yes/no or a count is cached; permissions that guard
data are still checked against the rows where they are used (see docs/architecture.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from . import sections

T = TypeVar("T")


def _user_generation(user_id: int) -> int:
    key = f"viewer:generation:{user_id}"
    generation = cache.get(key)
    if generation is None:
        cache.add(key, time.time_ns(), timeout=None)
        generation = cache.get(key, 0)
    return generation


def forget_viewer(user_id: int | None) -> None:
    """Drop every cached fact about this user (in this process at once)."""
    if user_id is not None:
        cache.set(f"viewer:generation:{user_id}", time.time_ns(), timeout=None)


def viewer_fact(*, union_id: int, user_id: int, name: str, build: Callable[[], T]) -> T:
    """`build()`'s value for this user in this union, from the cache when fresh."""
    key = (f"viewer:{union_id}:{sections.generation(union_id)}:{user_id}:"
           f"{_user_generation(user_id)}:{name}")
    # Wrapped, so that a cached None or 0 is a hit.
    entry = cache.get(key)
    if entry is None:
        entry = (build(),)
        cache.set(key, entry, timeout=settings.VIEWER_CACHE_SECONDS)
    return entry[0]


def connect_receivers() -> None:
    """A change of the user's groups (their roles) drops their cached facts."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed

    user_model = get_user_model()

    def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
        if not reverse:  # user.groups.add(...): the instance is the user
            if action.startswith("post_"):
                forget_viewer(instance.pk)
        elif action == "pre_clear":  # group.user_set.clear(): remember who was in it
            instance._viewer_members = list(
                user_model.objects.filter(groups=instance).values_list("pk", flat=True))
        elif action.startswith("post_"):  # group.user_set.add(...): the users in pk_set
            for user_id in pk_set or getattr(instance, "_viewer_members", ()):
                forget_viewer(user_id)

    # weak=False: the receiver is a closure that nothing else holds on to.
    m2m_changed.connect(groups_changed, sender=user_model.groups.through, weak=False,
                        dispatch_uid="viewer-groups-changed")
