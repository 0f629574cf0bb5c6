"""JSON Schemas of the register's records for the OpenAPI document, made from the one
declaration of the formats (`portal.register.records.KINDS`), so the docs cannot drift
from what the API accepts."""

from __future__ import annotations

from typing import Any

from portal.register import records as rec

_TYPES: dict[str, dict[str, Any]] = {
    rec.TEXT: {"type": "string"},
    rec.INT: {"type": "integer", "minimum": 0},
    rec.DATE: {"type": "string", "format": "date", "examples": ["2025-12-31"]},
    rec.EMAIL: {"type": "string", "format": "email"},
    rec.CHOICE: {"type": "string"},
    rec.BUSINESS_ID: {"type": "string", "examples": ["1234567-8"]},
    rec.IDENTITY_CODE: {"type": "string", "description": "Finnish personal identity code; "
                        "stored only as a keyed hash, never returned."},
    rec.REF_BRANCH: {"type": "string", "description": "A branch's number."},
    rec.REF_EMPLOYER: {"type": "string", "description": "An employer's business ID."},
    rec.REF_WORKPLACE: {"type": "string", "description": "A workplace's register_id."},
    rec.REF_PERSON: {"type": "string", "description": "A person's member number."},
    rec.REF_SCOPE: {"type": "string", "description": "By scope_kind: a branch number, a "
                    "business ID, a workplace register_id; none for the union."},
}


def record_schema(kind: str, *, for_output: bool = False) -> dict[str, Any]:
    spec = rec.KINDS[kind]
    properties: dict[str, Any] = {}
    for field in spec.fields:
        if for_output and field.type == rec.IDENTITY_CODE:
            continue
        schema = dict(_TYPES[field.type])
        if field.max_length:
            schema["maxLength"] = field.max_length
        if field.choices:
            schema["enum"] = list(field.choices)
        if field.key:
            schema["description"] = (schema.get("description", "") + " Part of the "
                                     "external key.").strip()
        if not field.required:
            schema = {"anyOf": [schema, {"type": "null"}]}
        properties[field.name] = schema
    if not for_output:
        properties[rec.CHANGED_AT] = {"type": "string", "format": "date-time",
                                      "description": "When the register made the change."}
    return {"type": "object", "properties": properties, "additionalProperties": False,
            "required": [f.name for f in spec.fields if f.required]}


RECORD_ERROR = {
    "type": "object",
    "properties": {"index": {"type": "integer"}, "field": {"type": "string"},
                   "code": {"type": "string"}, "message": {"type": "string"}},
}
PROBLEM = {
    "type": "object",
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"},
        "status": {"type": "integer"}, "detail": {"type": "string"},
        "errors": {"type": "array", "items": RECORD_ERROR},
    },
    "required": ["type", "title", "status"],
}


def problem_response(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/problem+json": {"schema": PROBLEM}}}


def common_responses() -> dict[str, Any]:
    return {
        401: problem_response("No key, or not a key of this union's clients"),
        403: problem_response("The client lacks the scope, or calls from an address "
                                "its allow-list does not hold"),
        429: problem_response("Rate limit: wait Retry-After seconds"),
    }
