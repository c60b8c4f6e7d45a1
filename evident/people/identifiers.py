"""NHS numbers and Unique Pupil Numbers: the check digits that catch typing errors."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S


def normalise_nhs_number(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "")


def nhs_check_digit(first_nine: str) -> int | None:
    """Modulus 11 over the first nine digits; None when no valid check digit exists."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(raw: str) -> bool:
    number = normalise_nhs_number(raw)
    if not re.fullmatch(r"\d{10}", number):
        return False
    return nhs_check_digit(number[:9]) == int(number[9])


def validate_nhs_number(raw: str) -> None:
    number = normalise_nhs_number(raw)
    if not re.fullmatch(r"\d{10}", number):
        raise ValidationError("NHS number must be 10 digits, like 943 476 5919", code="nhs_format")
    if not is_valid_nhs_number(number):
        raise ValidationError(
            "NHS number is not valid: check it has been typed correctly", code="nhs_check_digit"
        )


def format_nhs_number(raw: str) -> str:
    number = normalise_nhs_number(raw)
    return f"{number[:3]} {number[3:6]} {number[6:]}" if len(number) == 10 else number


def upn_check_letter(body: str) -> str:
    """The check letter for the 12 characters after it (DfE UPN specification): each
    character times its position (2 to 13), summed, modulo 23. A temporary UPN ends in a
    letter, which counts as its place in the check-letter alphabet."""
    total = 0
    for position, char in enumerate(body, start=2):
        value = UPN_CHECK_LETTERS.index(char) if char.isalpha() else int(char)
        total += value * position
    return UPN_CHECK_LETTERS[total % 23]


def normalise_upn(raw: str) -> str:
    return re.sub(r"\s", "", raw or "").upper()


def is_valid_upn(raw: str) -> bool:
    upn = normalise_upn(raw)
    if not re.fullmatch(r"[A-Z]\d{11}[0-9A-Z]", upn):
        return False
    if upn[12].isalpha() and upn[12] not in UPN_CHECK_LETTERS:
        return False
    return upn_check_letter(upn[1:]) == upn[0]


def validate_upn(raw: str) -> None:
    upn = normalise_upn(raw)
    if not re.fullmatch(r"[A-Z]\d{11}[0-9A-Z]", upn):
        raise ValidationError(
            "UPN must be 13 characters: a letter, 11 digits, then a digit or letter",
            code="upn_format",
        )
    if not is_valid_upn(upn):
        raise ValidationError(
            "UPN check letter does not match: check it has been typed correctly", code="upn_check"
        )


def normalise_postcode(raw: str) -> str:
    """'ab1 2cd' -> 'AB1 2CD' (outward and inward parts separated by one space)."""
    compact = re.sub(r"\s", "", raw or "").upper()
    if len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


POSTCODE_RE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")


def validate_postcode(raw: str) -> None:
    if not POSTCODE_RE.match(normalise_postcode(raw)):
        raise ValidationError("Enter a real postcode, like SW1A 1AA", code="postcode")
