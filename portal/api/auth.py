"""Who calls: `Authorization: Bearer <key>` of an API client of the request's union.

A key is looked up only among the clients of the union whose hostname was called, so a
key of union A on union B's hostname is as unknown as a made-up one (401). Then the
client's address allow-list (403) and its rate limit (429).
"""

from __future__ import annotations

from django.conf import settings
from ninja.security import HttpBearer

from . import actions, conf, keys, problems
from .models import ApiClient


def client_address(request) -> str:
    """REMOTE_ADDR, or the header a trusted reverse proxy sets (PACING_CLIENT_IP_HEADER,
    the same setting the sign-in pacing reads)."""
    meta = getattr(settings, "PACING_CLIENT_IP_HEADER", "") or "REMOTE_ADDR"
    address = request.META.get(meta) or request.META.get("REMOTE_ADDR") or ""
    return address.split(",")[0].strip()


class ClientKey(HttpBearer):
    openapi_scheme = "bearer"

    def __call__(self, request):
        # Missing or malformed header: the same 401 problem as a wrong key.
        return super().__call__(request) or self._refuse()

    def authenticate(self, request, token: str) -> ApiClient:
        union = getattr(request, "union", None)
        prefix = keys.prefix_of(token or "")
        client = None
        if union is not None and prefix is not None:
            client = (ApiClient.objects.for_union(union).select_related("union")
                      .filter(key_prefix=prefix).first())
        if not keys.matches(token or "", client.key_hash if client else None):
            self._refuse()
        if not client.usable:
            self._refuse()
        if not client.allows_address(client_address(request)):
            actions.audit_call(client=client, method=request.method,
                               endpoint=request.path, counts={"refused_address": 1})
            raise problems.forbidden_address()
        calls, retry_after = actions.count_call(client=client)
        if calls > conf.rate_limit():
            # Not audited: a runaway client must not fill the audit log.
            raise problems.rate_limited(retry_after, conf.rate_limit(), conf.rate_window())
        return client

    @staticmethod
    def _refuse():
        raise problems.unauthorized()


def require(request, scope: str) -> ApiClient:
    """The calling client, if it holds `scope` (else a 403 problem, audited)."""
    client: ApiClient = request.auth
    if not client.has_scope(scope):
        actions.audit_call(client=client, method=request.method, endpoint=request.path,
                           counts={"refused_scope": 1})
        request._api_audited = True
        raise problems.forbidden_scope(scope)
    return client
