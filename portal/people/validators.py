"""Validators for personal fields entered by hand (a person's or a potential member's)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Digits with the usual separators, an optional + first: "+358 40 123 4567",
# "040-123 4567", "(09) 123 456". Letters are a typing slip ("12ab"), not a number.
_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]*")


def validate_phone(value: str) -> None:
    digits = sum(ch in "0123456789" for ch in value)
    if not _PHONE.fullmatch(value.strip()) or not 5 <= digits <= 15:
        raise ValidationError(
            _("Enter a phone number: digits, spaces and an optional + at the start, "
              "e.g. +358 40 123 4567."), code="invalid_phone")
