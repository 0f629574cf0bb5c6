"""What counts as a field that looks personal (tests/test_registry.py uses it): a name,
email, phone, address, birth date or identity hash by its name, a relation to a person
or an account, a person's id in a plain column, and free text on a row about a person."""

from __future__ import annotations

import re

from django.apps import apps
from django.conf import settings
from django.db import models

OUR_APPS = ("portal.", "search", "themes")
_NAMES = re.compile(r"name|(^|_)(email|phone|address|street|postal|city|birth|birthday|"
                    r"identity|hash|ssn|note|notes)($|_)")


def _people_models() -> set[str]:
    return {"people.person", settings.AUTH_USER_MODEL.lower()}


def _label(model) -> str:
    # A model being defined (or isolated in a test) may still name its target as text.
    return model.lower() if isinstance(model, str) else model._meta.label_lower


def _points_at_someone(field, people) -> bool:
    if field.is_relation and _label(field.related_model) in people:
        return True
    return isinstance(field, models.BigIntegerField) and field.name.endswith("_id") \
        and field.name != "union_id"


def looks_personal(model) -> list[str]:
    """The model's own fields (not inherited from Wagtail's Page) that look personal."""
    people = _people_models()
    own = [f for f in model._meta.local_concrete_fields if not f.primary_key]
    about_someone = any(_points_at_someone(f, people) for f in own)
    found = []
    for f in own:
        free_text = about_someone and not f.choices and (
            isinstance(f, (models.TextField, models.JSONField, models.BinaryField))
            or (isinstance(f, models.CharField) and (f.max_length or 0) >= 200))
        if _points_at_someone(f, people) or _NAMES.search(f.name) or free_text:
            found.append(f.name)
    return found


def our_models():
    return [m for m in apps.get_models()
            if m.__module__.startswith(OUR_APPS) and not m._meta.proxy]


def undeclared() -> dict[str, list[str]]:
    """Model label -> fields that look personal and are declared neither way."""
    from . import registry

    missing = {}
    skipped = registry.not_personal_models()
    for model in our_models():
        label = model._meta.label_lower
        if label in skipped:
            continue
        fields = looks_personal(model)
        declaration = registry.declaration_of(model)
        known = set(declaration.fields) | set(declaration.not_personal) if declaration else set()
        left = [name for name in fields if name not in known]
        if left:
            missing[label] = left
    return missing
