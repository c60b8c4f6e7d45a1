import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from evident.people.identifiers import (
    is_valid_nhs_number,
    is_valid_upn,
    nhs_check_digit,
    normalise_postcode,
    upn_check_letter,
    validate_nhs_number,
    validate_upn,
)


def test_a_known_good_nhs_number_passes():
    assert is_valid_nhs_number("943 476 5919")


def test_a_mistyped_nhs_number_fails_its_check():
    with pytest.raises(ValidationError, match="not valid"):
        validate_nhs_number("9434765918")


def test_an_nhs_number_of_the_wrong_length_says_so():
    with pytest.raises(ValidationError, match="10 digits"):
        validate_nhs_number("94347659")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_computed_check_digit_validates(first_nine):
    check = nhs_check_digit(first_nine)
    if check is not None:
        assert is_valid_nhs_number(first_nine + str(check))
        wrong = (check + 1) % 10
        assert not is_valid_nhs_number(first_nine + str(wrong))


def test_upn_check_letter_round_trips():
    body = "999" + "0001" + "24" + "123"
    assert is_valid_upn(upn_check_letter(body) + body)


def test_a_temporary_upn_with_a_final_letter_validates():
    body = "99900012412A"
    assert is_valid_upn(upn_check_letter(body) + body)


def test_a_wrong_upn_check_letter_is_refused():
    body = "999000124123"
    letter = upn_check_letter(body)
    other = "A" if letter != "A" else "B"
    with pytest.raises(ValidationError, match="check letter"):
        validate_upn(other + body)


def test_postcodes_are_normalised():
    assert normalise_postcode(" sw1a1aa ") == "SW1A 1AA"
