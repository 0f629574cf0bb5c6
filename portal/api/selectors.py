"""Reads of the API clients for the admin panel."""

from __future__ import annotations

from django.db.models import Q

from .models import ApiClient


def clients_of(union, query: str = ""):
    """The union's API clients by name, those whose name holds `query` or whose key
    starts with it (a key pasted whole, `du_<prefix>_<secret>`, finds its client)."""
    clients = ApiClient.objects.for_union(union).select_related("created_by")
    if query:
        prefix = query.removeprefix("du_").split("_")[0]
        clients = clients.filter(Q(name__icontains=query) | Q(key_prefix__startswith=prefix)
                                 if prefix else Q(name__icontains=query))
    return clients.order_by("name", "pk")
