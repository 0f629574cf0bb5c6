import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_BUSINESS_ID = re.compile(r"^(\d{7})-?(\d)$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def normalise_business_id(value: str) -> str:
    """Return a Finnish business ID (Y-tunnus) as NNNNNNN-C, or raise ValidationError.

    Accepts the ID with or without the dash; the check digit must match.
    """
    match = _BUSINESS_ID.match((value or "").strip())
    if not match:
        raise ValidationError(_("A business ID has seven digits, a dash and a check digit."))
    digits, check = match.group(1), int(match.group(2))
    remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
    if remainder == 1:
        raise ValidationError(_("This business ID is not valid."))
    expected = 0 if remainder == 0 else 11 - remainder
    if check != expected:
        raise ValidationError(_("The check digit of this business ID does not match."))
    return f"{digits}-{check}"


def validate_business_id(value: str) -> None:
    normalise_business_id(value)


def business_id_check_digit(digits: str) -> int | None:
    """The check digit for seven digits, or None when no valid ID exists for them."""
    remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder
