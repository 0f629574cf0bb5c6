"""The register REST API, /api/v1/ (django-ninja), on union hostnames only.

Endpoints are in `endpoints.py`; authentication in `auth.py`; every error is a problem
details document (`problems.py`). docs/register-integration.md, "REST API".
"""

from __future__ import annotations

import functools

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from . import actions, problems
from .auth import ClientKey

DESCRIPTION = """The union's member-register integration: bulk upsert of people and
organisations by external key, reads by key and in pages, and the change feed for
two-way sync. Authenticate with `Authorization: Bearer <key>` (an API client made by a
union admin in the admin panel). Errors are RFC 9457 problem details
(`application/problem+json`)."""

api = NinjaAPI(
    title="Digital union register API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=ClientKey(),
)


def _audit_refusal(request, problem: problems.Problem) -> None:
    """A call refused after its client was known (bad input, unknown record, reused
    idempotency key) is audited too, unless the refusing code wrote its own entry.
    Refusals before that (unknown key: no client; rate limit) are not."""
    client = getattr(request, "auth", None)
    if client is not None and not getattr(request, "_api_audited", False):
        actions.audit_call(client=client, method=request.method, endpoint=request.path,
                           counts={f"refused_{problem.code}": problem.status})


def _problem(request, exc: problems.Problem):
    _audit_refusal(request, exc)
    return exc.response()


def _not_found(request, exc):
    problem = problems.not_found()
    _audit_refusal(request, problem)
    return problem.response()


def _reason(error: dict) -> str:
    """A parameter's reason in the union's language (pydantic's `msg` is English only)."""
    code, limits = error.get("type", ""), error.get("ctx") or {}
    if code in ("int_parsing", "int_type", "int_from_float"):
        return _("Give a whole number.")
    if code in ("bool_parsing", "bool_type"):
        return _("Give true or false.")
    if code == "less_than_equal" and "le" in limits:
        return _("At most %(limit)s.") % {"limit": limits["le"]}
    if code == "greater_than_equal" and "ge" in limits:
        return _("At least %(limit)s.") % {"limit": limits["ge"]}
    if code == "missing":
        return _("This parameter is required.")
    return _("Not a valid value.")


def _validation(request, exc: ValidationError):
    errors = [{"field": ".".join(str(p) for p in e.get("loc", ())[1:]) or "",
               "code": e.get("type", "invalid"), "message": _reason(e)}
              for e in exc.errors]
    problem = problems.bad_request("invalid-parameters", _("Some parameters are not valid."),
                                   errors=errors)
    _audit_refusal(request, problem)
    return problem.response()


def _http_error(request, exc: HttpError):
    if isinstance(exc, AuthenticationError):
        return problems.unauthorized().response()
    return problems.Problem(exc.status_code, "http-error", str(exc.message)).response()


api.add_exception_handler(problems.Problem, _problem)
api.add_exception_handler(Http404, _not_found)
api.add_exception_handler(ValidationError, _validation)
api.add_exception_handler(HttpError, _http_error)

from . import endpoints  # noqa: E402,F401 - registers the operations on `api`


def _union_host_only(view):
    """The API exists only on an active union's hostname: on the platform's host or an
    inactive union's, every URL under /api/v1/ is a plain 404."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "union", None) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _no_such_endpoint(request, rest=""):
    # Any other path under /api/v1/ is a problem document too (not the site's HTML 404,
    # nor a redirect to the path with a slash).
    return problems.Problem(404, "not-found", _("Not found"),
                            _("The API has no such endpoint.")).response()


def _root(request):
    # /api/v1/ itself: where the description is (ninja's own root is a bare 404).
    return problems.json_response({"title": api.title, "version": api.version,
                                   "docs": request.path + "docs",
                                   "openapi": request.path + "openapi.json"})


def urls():
    patterns, app_name, namespace = api.urls
    patterns = [*patterns, path("<path:rest>", _no_such_endpoint)]
    for pattern in patterns:
        if pattern.name == "api-root":
            pattern.callback = _root
        pattern.callback = _union_host_only(pattern.callback)
    return patterns, app_name, namespace
