"""Errors as RFC 9457 problem details (`application/problem+json`).

Every error the API answers — refused key, missing scope, bad input, rate limit — is a
`Problem`: a stable `type` (urn:digital-union:api:<code>), a translated `title` and
`detail`, the HTTP `status`, and for rejected records an `errors` list (index, field,
code, message).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.translation import gettext as _

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:digital-union:api:"


class Problem(Exception):  # noqa: N818 - it is the RFC's name
    def __init__(self, status: int, code: str, title: str, detail: str = "", *,
                 headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail or title)
        self.status, self.code, self.title, self.detail = status, code, title, detail
        self.headers = headers or {}
        self.extra = extra

    def as_dict(self) -> dict[str, Any]:
        body = {"type": TYPE_PREFIX + self.code, "title": str(self.title),
                "status": self.status}
        if self.detail:
            body["detail"] = str(self.detail)
        body.update(self.extra)
        return body

    def response(self) -> HttpResponse:
        response = json_response(self.as_dict(), status=self.status, content_type=PROBLEM_JSON)
        for name, value in self.headers.items():
            response[name] = value
        return response


def json_response(body: Any, *, status: int = 200,
                  content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False),
                            status=status, content_type=content_type)
    # What the API answers is personal data: never kept by a proxy or the browser.
    response["Cache-Control"] = "private, no-store"
    return response


def unauthorized() -> Problem:
    # The same answer for no key, a malformed key, an unknown key, a revoked or paused
    # key and another union's key: nothing tells them apart.
    return Problem(401, "unauthorized", _("Not authenticated"),
                   _("Give a valid API key of this union: Authorization: Bearer <key>."),
                   headers={"WWW-Authenticate": 'Bearer realm="api"'})


def forbidden_scope(scope: str) -> Problem:
    return Problem(403, "missing-scope", _("Not allowed"),
                   _("This API client does not have the scope %(scope)s.") % {"scope": scope},
                   scope=scope)


def forbidden_address() -> Problem:
    return Problem(403, "address-not-allowed", _("Not allowed"),
                   _("This API client may not be used from this address."))


def not_found() -> Problem:
    return Problem(404, "not-found", _("Not found"),
                   _("No such record in this union."))


def rate_limited(retry_after: int, limit: int, window: int) -> Problem:
    return Problem(429, "rate-limited", _("Too many requests"),
                   _("At most %(limit)d calls in %(window)d seconds. Try again in "
                     "%(retry)d seconds.") % {"limit": limit, "window": window,
                                              "retry": retry_after},
                   headers={"Retry-After": str(retry_after)})


def bad_request(code: str, detail: str, **extra: Any) -> Problem:
    return Problem(400, code, _("Bad request"), detail, **extra)
