import pytest
from django.core.exceptions import ValidationError

from portal.workplaces.validators import business_id_check_digit, normalise_business_id


@pytest.mark.parametrize("raw", ["0112038-9", "01120389", " 0112038-9 "])
def test_valid_business_ids_are_normalised_with_the_dash(raw):
    assert normalise_business_id(raw) == "0112038-9"


@pytest.mark.parametrize("raw", ["0112038-8", "112038-9", "0112038-99", "abcdefg-1", ""])
def test_invalid_business_ids_are_refused(raw):
    with pytest.raises(ValidationError):
        normalise_business_id(raw)


def test_check_digit_remainder_one_has_no_valid_id():
    # Digits whose weighted sum leaves remainder 1 can never form a valid ID.
    found = [f"{n:07d}" for n in range(1000000, 1000200)
             if business_id_check_digit(f"{n:07d}") is None]
    assert found
    for digits in found[:3]:
        for check in range(10):
            with pytest.raises(ValidationError):
                normalise_business_id(f"{digits}-{check}")
