"""How an account is named in conversations: its profile's name, else the account's."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _


def names_of(user_ids: Iterable[int]) -> dict[int, str]:
    """{user id: name} in one query."""
    names = {}
    for pk, first, last, email, p_first, p_last in get_user_model().objects.filter(
            pk__in=[u for u in user_ids if u]).values_list(
            "pk", "first_name", "last_name", "email", "person__first_name", "person__last_name"):
        names[pk] = (f"{p_first} {p_last}".strip() if p_first or p_last
                     else f"{first} {last}".strip() or email.split("@")[0])
    return names


def anonymous_name() -> str:
    return _("Former participant")
