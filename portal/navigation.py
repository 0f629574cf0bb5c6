"""The registry of navigation entries (U-3.2.4–3.2.5).

A feature adds its entry here from its AppConfig.ready(); base templates render only
registered entries that are visible to the request, so a feature that is not built
(or not switched on for the union) shows no dead link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # a lazy translation
    url_name: str
    # "discussions", "campaigns", "activity", ... ; the bars decide where each key goes
    order: int = 100
    visible: Callable | None = None  # visible(request) -> bool
    badge: Callable | None = None  # badge(request) -> int | None, e.g. an unread count


_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _ITEMS[item.key] = item


def items_for(request) -> list[dict]:
    from portal.union.features import feature_on
    from portal.union.models import UnionFeature

    result = []
    for item in sorted(_ITEMS.values(), key=lambda i: i.order):
        if item.key in UnionFeature.values and not feature_on(request, item.key):
            continue
        if item.visible is not None and not item.visible(request):
            continue
        result.append({
            "key": item.key,
            "label": item.label,
            "url": reverse(item.url_name),
            "badge": item.badge(request) if item.badge is not None else None,
        })
    return result
