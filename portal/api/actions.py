"""Writes of the API app: clients (made, changed, revoked by union admins), the rate
counter and idempotent answers of client calls, and the audit entry of every call."""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from portal.audit.log import AuditAction, record, record_many
from portal.union.models import Union

from . import conf, keys
from .models import ALL_SCOPES, ApiClient, IdempotentCall


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    scopes = set(scopes)
    unknown = scopes - set(ALL_SCOPES)
    if unknown:
        raise ValueError(f"Unknown scopes: {sorted(unknown)}")
    return [s for s in ALL_SCOPES if s in scopes]


def clean_networks(networks: Iterable[str]) -> list[str]:
    """CIDRs in their normal form ("192.0.2.7/24" → "192.0.2.0/24"); ValueError if one
    is not an address or network."""
    result: list[str] = []
    for text in networks:
        text = text.strip()
        if text:
            network = str(ipaddress.ip_network(text, strict=False))
            if network not in result:
                result.append(network)
    return result


def _target(client: ApiClient) -> str:
    return f"api-client:{client.pk}"


@transaction.atomic
def create_client(*, union: Union, name: str, scopes: Sequence[str] = (),
                  allowed_networks: Sequence[str] = (), acting_user) -> tuple[ApiClient, str]:
    """A new client and its key. The key is returned once and stored only as a hash."""
    key, prefix, key_hash = keys.new_key()
    client = ApiClient.objects.create(
        union=union, name=name.strip(), key_prefix=prefix, key_hash=key_hash,
        scopes=_clean_scopes(scopes), allowed_networks=clean_networks(allowed_networks),
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    record(actor=acting_user, union=union, action=AuditAction.CREATE, target=_target(client),
           fields=["name", "scopes", "allowed_networks"])
    return client, key


_EDITABLE = ("name", "scopes", "allowed_networks", "is_active")


@transaction.atomic
def update_client(*, client: ApiClient, values: Mapping[str, Any], acting_user) -> ApiClient:
    """Name, scopes, allowed networks, paused or active. A revoked client stays revoked."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    changed = []
    for name in _EDITABLE:
        if name not in values:
            continue
        value = values[name]
        if name == "scopes":
            value = _clean_scopes(value)
        elif name == "allowed_networks":
            value = clean_networks(value)
        elif name == "name":
            value = value.strip()
        elif name == "is_active" and client.revoked_at is not None:
            value = False
        if getattr(client, name) != value:
            setattr(client, name, value)
            changed.append(name)
    if changed:
        client.save(update_fields=changed)
        record(actor=acting_user, union=client.union, action=AuditAction.EDIT,
               target=_target(client), fields=changed)
    return client


@transaction.atomic
def revoke_client(*, client: ApiClient, acting_user) -> ApiClient:
    """For good: the key no longer works and cannot be turned back on."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.is_active = False
        client.save(update_fields=["revoked_at", "is_active"])
        record(actor=acting_user, union=client.union, action=AuditAction.REVOKE,
               target=_target(client), fields=["key"])
    return client


def count_call(*, client: ApiClient, now: dt.datetime | None = None) -> tuple[int, int]:
    """Counts a call in the client's fixed window and notes when it was last used, in one
    statement. Returns (calls in this window, seconds until the window ends)."""
    now = now or timezone.now()
    window = conf.rate_window()
    start_ts = int(now.timestamp()) // window * window
    start = dt.datetime.fromtimestamp(start_ts, tz=dt.UTC)
    table = connection.ops.quote_name(ApiClient._meta.db_table)
    # Both PostgreSQL and SQLite (the demo) know UPDATE … RETURNING; concurrent calls of
    # one client queue on the row, so none is lost.
    sql = (
        f"UPDATE {table} SET window_calls = CASE WHEN window_start = %s "  # noqa: S608 - model table name
        "THEN window_calls + 1 ELSE 1 END, window_start = %s, last_used_at = %s "
        "WHERE id = %s RETURNING window_calls"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, start, now, client.pk])
        row = cursor.fetchone()
    calls = row[0] if row else 0
    retry_after = max(1, start_ts + window - int(now.timestamp()))
    return calls, retry_after


def audit_call(*, client: ApiClient, method: str, endpoint: str, counts: Mapping[str, int],
               people: Iterable | None = None, person_fields: Sequence[str] = ()) -> None:
    """The audit entry of one call: the client and endpoint in `target`, the counts in
    `fields` ("created=3"). People whose data the call returned get an entry each."""
    # A path may carry any character a client sent (PostgreSQL text refuses NUL).
    endpoint = "".join(c if c.isprintable() else repr(c)[1:-1] for c in endpoint)
    target = f"{_target(client)}:{method} {endpoint}"
    action = AuditAction.LIST if method == "GET" else AuditAction.EDIT
    record(actor=None, union=client.union, action=action, target=target,
           fields=[f"{name}={value}" for name, value in counts.items()])
    if people is not None:
        record_many(actor=None, union=client.union_id, action=AuditAction.VIEW,
                    people=people, fields=person_fields, target=target)


def claim_idempotency_key(*, client: ApiClient, key: str,
                          fingerprint: str) -> tuple[IdempotentCall, bool]:
    """The call's row for `key` and whether it is new. Runs inside the caller's
    transaction: a second call with the same key waits on the unique index until the
    first one commits, then finds its answer (or, if it rolled back, takes the key)."""
    expired = timezone.now() - dt.timedelta(hours=conf.idempotency_hours())
    IdempotentCall.objects.filter(client=client, created_at__lt=expired).delete()
    try:
        with transaction.atomic():
            return IdempotentCall.objects.create(client=client, key=key,
                                                 fingerprint=fingerprint), True
    except IntegrityError:
        return IdempotentCall.objects.get(client=client, key=key), False


def store_idempotent_answer(*, call: IdempotentCall, status: int, content_type: str,
                            body: bytes) -> None:
    call.status, call.content_type, call.body = status, content_type, body
    call.save(update_fields=["status", "content_type", "body"])
