"""Shared builders of the API tests: unions with clients, and a register system
simulated as an API client (the Django test client with the client's key)."""

from __future__ import annotations

import json

from django.test import Client

from portal.api import actions
from portal.api.models import ALL_SCOPES


def make_client(union, *, scopes=ALL_SCOPES, networks=(), name=None, acting_user=None):
    client, key = actions.create_client(union=union, name=name or f"Register {union.slug}",
                                        scopes=scopes, allowed_networks=networks,
                                        acting_user=acting_user)
    return client, key


class Register:
    """A register system calling the API of `union`'s hostname with `key`."""

    def __init__(self, host: str, key: str | None, *, address: str = "127.0.0.1"):
        self.http = Client(HTTP_HOST=host, REMOTE_ADDR=address)
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path: str, **params):
        return self.http.get(f"/api/v1/{path}", params, headers=self.headers)

    def bulk(self, kind: str, records, *, idempotency_key: str | None = None,
             body: bytes | str | None = None, dry_run: bool = False,
             content_type: str = "application/json"):
        headers = dict(self.headers)
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        if body is None:
            body = json.dumps({"records": records})
        path = f"/api/v1/{kind}/bulk" + ("?dry_run=true" if dry_run else "")
        return self.http.post(path, body, content_type=content_type, headers=headers)


def register_of(union, **client_options) -> Register:
    """A register calling `union`'s hostname with a new client's key (`.client`)."""
    client, key = make_client(union, **client_options)
    register = Register(union.site.hostname, key)
    register.client = client
    return register
