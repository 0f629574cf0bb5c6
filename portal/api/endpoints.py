"""The operations of /api/v1/: per kind of record a page of records, one record by
external key and the bulk upsert; and the change feed. Every read goes through
`for_union()` of the calling client's union (which is the hostname's, auth.py); every
call is audited (actions.audit_call)."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.utils.translation import gettext as _
from ninja import Query

from portal.people.models import Person
from portal.register import records as rec
from portal.register.selectors import changes_since
from portal.workplaces.validators import normalise_business_id

from . import actions, bulk, problems, schemas, serialize
from .api import api
from .auth import require
from .models import DATA_KINDS

PAGE_SIZE = 500
MAX_PAGE_SIZE = 1000
_CURSOR_SALT = "portal.api.page"
# Kinds whose rows are a person's data: their reads are audited per person.
_PERSON_KINDS = {"people", "employments", "positions", "trainings"}
_DOC_LABELS = {"people": "People", "employers": "Employers", "workplaces": "Workplaces",
               "employments": "Employments", "positions": "Positions of trust",
               "trainings": "Trainings"}


def _paging_params(kind: str) -> list[dict[str, Any]]:
    params = [{"name": name, "in": "query", "required": False,
               "schema": {"type": "string"},
               "description": f"Only records whose {name} is this."}
              for name in serialize.KEY_LOOKUPS[kind]]
    return params


def _filters(kind: str, query) -> dict[str, Any]:
    """ORM filters from the query string's key fields, normalised as the register's
    records are (dates, business IDs); a value that cannot be one is a 400."""
    specs = rec.KINDS[kind].by_name
    result: dict[str, Any] = {}
    for name, lookup in serialize.KEY_LOOKUPS[kind].items():
        if name not in query:
            continue
        value = query[name].strip()
        spec = specs[name]
        try:
            if "\x00" in value or len(value) > (spec.max_length or 255):
                # Could be no stored key (and PostgreSQL refuses NUL in text).
                raise ValueError(name)
            if spec.type == rec.DATE:
                value = rec.parse_date(value)
            elif spec.type in (rec.BUSINESS_ID, rec.REF_EMPLOYER):
                value = normalise_business_id(value)
        except Exception:  # ValueError, ValidationError, records._Bad
            raise problems.bad_request(
                "invalid-parameters", _("Some parameters are not valid."),
                errors=[{"field": name, "code": "invalid", "message": _("Not a valid value.")}],
            ) from None
        result[lookup] = value
    return result


def _audit_read(request, client, kind: str, rows: list, endpoint_counts: dict) -> None:
    people = None
    if kind == "people":
        people = rows
    elif kind in _PERSON_KINDS:
        people = list({row.person_id: row.person for row in rows}.values())
    actions.audit_call(client=client, method="GET", endpoint=request.path,
                       counts=endpoint_counts, people=people,
                       person_fields=serialize.PERSON_FIELDS if kind == "people"
                       else ["member_number", kind])


def _register(kind: str) -> None:
    label = _DOC_LABELS[kind]  # the OpenAPI document is in English
    tag = kind
    read_scope, write_scope = f"{kind}:read", f"{kind}:write"
    single_key = len(rec.KINDS[kind].key) == 1
    output = schemas.record_schema(kind, for_output=True)

    def list_records(request, limit: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
                     cursor: str = ""):
        client = require(request, read_scope)
        rows = serialize.base_queryset(client.union, kind).filter(
            **_filters(kind, request.GET))
        if cursor:
            try:
                after = signing.loads(cursor, salt=_CURSOR_SALT)
                if after.get("k") != kind or not isinstance(after.get("pk"), int):
                    raise signing.BadSignature
            except (signing.BadSignature, AttributeError):
                raise problems.bad_request("invalid-cursor",
                                           _("This cursor is not one the API gave.")) from None
            rows = rows.filter(pk__gt=after["pk"])
        page = list(rows[: limit + 1])
        more = len(page) > limit
        page = page[:limit]
        next_cursor = (signing.dumps({"k": kind, "pk": page[-1].pk}, salt=_CURSOR_SALT)
                       if more else None)
        items = serialize.records(client.union, kind, page)
        _audit_read(request, client, kind, page, {"records": len(items)})
        return problems.json_response({"items": items, "next": next_cursor})

    list_records.__name__ = f"list_{kind}"
    api.get(f"/{kind}", tags=[tag], summary=f"{label}: a page of records",
            operation_id=f"list_{kind}", openapi_extra={
                "parameters": _paging_params(kind),
                "responses": {200: {"description": "A page; `next` is the cursor of the "
                                      "next page or null", "content": {"application/json": {
                                          "schema": {"type": "object", "properties": {
                                              "items": {"type": "array", "items": output},
                                              "next": {"type": ["string", "null"]}}}}}},
                              **schemas.common_responses()}})(list_records)

    # Before "/<kind>/{key}": Django would route /<kind>/bulk there first.
    def upsert(request, dry_run: bool = False):
        require(request, write_scope)
        return bulk.upsert(request, kind=kind, dry_run=dry_run)

    upsert.__name__ = f"bulk_{kind}"
    api.post(f"/{kind}/bulk", tags=[tag], summary=f"{label}: create or update in bulk",
             operation_id=f"bulk_{kind}", openapi_extra={
                 "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                                 "schema": {"type": "string", "maxLength": 200}}],
                 "requestBody": {"required": True, "content": {"application/json": {
                     "schema": {"type": "object", "required": ["records"],
                                "additionalProperties": False,
                                "properties": {"records": {
                                    "type": "array", "items": schemas.record_schema(kind)}}}}}},
                 "responses": {
                     200: {"description": "Every record written (or checked, dry run)"},
                     400: schemas.problem_response("Malformed JSON or not a batch"),
                     409: schemas.problem_response("Idempotency-Key used with another body"),
                     413: schemas.problem_response("Body or batch too large"),
                     422: schemas.problem_response("Some records rejected (the others "
                                                     "were written; see `errors`)"),
                     **schemas.common_responses()}})(upsert)

    def one_record(request, **key):
        client = require(request, read_scope)
        filters = _filters(kind, key if single_key else request.GET)
        if len(filters) != len(rec.KINDS[kind].key):
            raise problems.not_found()
        rows = list(serialize.base_queryset(client.union, kind).filter(**filters)[:1])
        if not rows:
            actions.audit_call(client=client, method="GET", endpoint=request.path,
                               counts={"records": 0})
            request._api_audited = True
            raise problems.not_found()
        _audit_read(request, client, kind, rows, {"records": 1})
        return problems.json_response(serialize.records(client.union, kind, rows)[0])

    responses = {200: {"description": "The record",
                         "content": {"application/json": {"schema": output}}},
                 404: schemas.problem_response("No such record in this union"),
                 **schemas.common_responses()}
    if single_key:
        key_name = rec.KINDS[kind].key[0]

        def by_key(request, key: str):
            return one_record(request, **{key_name: key})

        by_key.__name__ = f"get_{kind}"
        api.get(f"/{kind}/{{key}}", tags=[tag], summary=f"{label}: one record by {key_name}",
                operation_id=f"get_{kind}", openapi_extra={"responses": responses})(by_key)
    else:
        def by_query(request):
            return one_record(request)

        by_query.__name__ = f"get_{kind}"
        api.get(f"/{kind}/key", tags=[tag],
                summary=f"{label}: one record by its key ({', '.join(rec.KINDS[kind].key)})",
                operation_id=f"get_{kind}",
                openapi_extra={"parameters": [
                    {"name": name, "in": "query", "required": name != "scope",
                     "schema": {"type": "string"}} for name in serialize.KEY_LOOKUPS[kind]],
                    "responses": responses})(by_query)

for _kind in DATA_KINDS:
    _register(_kind)


@api.get("/changes", tags=["changes"], summary="What changed in the portal since a cursor",
         operation_id="list_changes",
         openapi_extra={"responses": schemas.common_responses()})
def list_changes(request, since: str = "", kinds: str = "",
                 limit: int = Query(1000, ge=1, le=1000)):
    client = require(request, "changes:read")
    wanted = [k.strip() for k in kinds.split(",") if k.strip()] or None
    if wanted and set(wanted) - set(DATA_KINDS):
        raise problems.bad_request("invalid-parameters", _("Unknown kinds: %(names)s.") % {
            "names": ", ".join(sorted(set(wanted) - set(DATA_KINDS)))[:200]})
    try:
        changes, next_cursor = changes_since(union=client.union, cursor=since or None,
                                             kinds=wanted, limit=limit)
    except ValueError:
        raise problems.bad_request("invalid-cursor",
                                   _("This cursor is not one the API gave.")) from None
    numbers = {c["key"].get("member_number") for c in changes} - {None, ""}
    people = list(Person.objects.for_union(client.union).filter(member_number__in=numbers)
                  .only("pk")) if numbers else None
    actions.audit_call(client=client, method="GET", endpoint=request.path,
                       counts={"changes": len(changes)}, people=people,
                       person_fields=["changes"])
    return problems.json_response({"changes": changes, "next": next_cursor})
