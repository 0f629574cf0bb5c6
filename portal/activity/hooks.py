"""A hook for the app that emails notifications (portal/notifications, higher in the
app order, which this app must not import): given the people an event of a kind is
recorded for, it answers each one's email state. Events recorded by this layer itself
(a bulletin's, by portal/messaging) get their state from it too."""

from __future__ import annotations

from collections.abc import Callable

MailPolicy = Callable[..., dict[int, str]]  # (union, kind, person_ids) -> {id: MailState}

_policy: MailPolicy | None = None


def set_mail_policy(policy: MailPolicy | None) -> None:
    global _policy
    _policy = policy


def mail_states(*, union, kind: str, person_ids: list[int]) -> dict[int, str]:
    return _policy(union=union, kind=kind, person_ids=person_ids) if _policy else {}
