"""The bulk upsert call: reading the body within its limit, the idempotency key, and
turning `register.actions.upsert_records`' result into the answer."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.register.actions import upsert_records

from . import actions, conf
from .problems import PROBLEM_JSON, Problem, bad_request, json_response

_IDEMPOTENCY_KEY_MAX = 200


def read_records(request) -> list[Any]:
    """The body's `records` list, or a problem: too large (413), not JSON (400), not an
    object with a list of at most API_MAX_RECORDS records (400/413)."""
    limit = conf.max_body_bytes()
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise _too_large(limit)
    # Read straight from the stream (not request.body, which stops at Django's form
    # limit of 2.5 MB) and never more than the limit plus one byte.
    body = request.read(limit + 1)
    if len(body) > limit:
        raise _too_large(limit)
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type not in ("application/json", ""):
        raise Problem(415, "unsupported-media-type", _("Unsupported media type"),
                      _("Send the records as application/json."))
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise bad_request("malformed-json", _("The body is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise bad_request(
            "malformed-json",
            _("The body is not valid JSON: %(error)s (line %(line)d, column %(column)d).")
            % {"error": error.msg, "line": error.lineno, "column": error.colno},
        ) from None
    except (ValueError, RecursionError):
        # Nesting deeper than the parser goes, or a number of thousands of digits.
        raise bad_request("malformed-json", _("The body is not valid JSON.")) from None
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        raise bad_request("invalid-body",
                          _('The body is an object with a list of records: {"records": [...]}.'))
    unknown = sorted(set(data) - {"records"})
    if unknown:
        raise bad_request("invalid-body", _("Unknown fields in the body: %(names)s.")
                          % {"names": ", ".join(str(n)[:50] for n in unknown[:10])})
    if len(data["records"]) > conf.max_records():
        raise Problem(413, "too-many-records", _("Too many records"),
                      _("At most %(n)d records a call.") % {"n": conf.max_records()})
    request._api_body = body
    return data["records"]


def _too_large(limit: int) -> Problem:
    return Problem(413, "payload-too-large", _("Payload too large"),
                   _("The body may be at most %(n)d bytes.") % {"n": limit})


def fingerprint(request, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def upsert(request, *, kind: str, dry_run: bool) -> HttpResponse:
    client = request.auth
    key = request.headers.get("Idempotency-Key", "")
    if len(key) > _IDEMPOTENCY_KEY_MAX or (key and not key.isprintable()):
        raise bad_request("invalid-idempotency-key",
                          _("An Idempotency-Key is at most 200 printable characters."))
    records = read_records(request)
    with transaction.atomic():
        call = None
        if key:
            call, new = actions.claim_idempotency_key(
                client=client, key=key, fingerprint=fingerprint(request, request._api_body))
            if not new:
                return _replay(call, request._api_body, request)
        response = _run(request, client=client, kind=kind, records=records, dry_run=dry_run)
        if call is not None:
            actions.store_idempotent_answer(call=call, status=response.status_code,
                                            content_type=response["Content-Type"],
                                            body=response.content)
    return response


def _replay(call, body: bytes, request) -> HttpResponse:
    if call.fingerprint != fingerprint(request, body):
        raise Problem(409, "idempotency-key-reused", _("Idempotency key reused"),
                      _("This Idempotency-Key was used with another request."))
    actions.audit_call(client=request.auth, method=request.method, endpoint=request.path,
                       counts={"replayed": 1})
    response = HttpResponse(bytes(call.body), status=call.status,
                            content_type=call.content_type)
    response["Cache-Control"] = "private, no-store"
    response["Idempotent-Replayed"] = "true"
    return response


def _run(request, *, client, kind: str, records: list, dry_run: bool) -> HttpResponse:
    result = upsert_records(union=client.union, kind=kind, records=records,
                            api_client=client, source="api", dry_run=dry_run, outcomes=True)
    # Every record's outcome by its index; a rejected one's reasons are in `errors`.
    outcome = dict(result.outcomes or ())
    results = [{"index": i, "status": outcome.get(i, "rejected")} for i in range(len(records))]
    counts = {"records": len(records), "created": result.created, "updated": result.updated,
              "unchanged": result.unchanged,
              "rejected": len({e.index for e in result.errors})}
    actions.audit_call(client=client, method=request.method, endpoint=request.path,
                       counts={**counts, "dry_run": int(dry_run)})
    body: dict[str, Any] = {**counts, "conflicts": result.conflicts, "dry_run": dry_run,
                            "errors": [e.as_dict() for e in result.errors],
                            "results": results}
    if not result.errors:
        return json_response({"kind": kind, **body})
    rejected = counts["rejected"]
    written = result.accepted
    detail = ngettext(
        "%(rejected)d of %(total)d records was rejected and nothing of it was written; ",
        "%(rejected)d of %(total)d records were rejected and nothing of them was written; ",
        rejected) % {"rejected": rejected, "total": len(records)}
    detail += (_("the other %(n)d were checked but not written (dry run).") if dry_run
               else _("the other %(n)d were written.")) % {"n": written}
    problem = Problem(422, "rejected-records", _("Some records were rejected"), detail,
                      kind=kind, **body)
    return json_response(problem.as_dict(), status=422, content_type=PROBLEM_JSON)
