"""Writes to people's records, and the audited reads that show a record to someone.

Every function here runs in one transaction and writes the audit trail before it returns
any data (security.md R6): if the audit write fails, nothing is shown or saved.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.utils import timezone

from evident.audit.models import AuditEvent
from evident.audit.selectors import access_log_for_person
from evident.audit.services import audit_people_read, audit_record
from evident.core.codes import Disability, Ethnicity, Gender, Sex, UPNUnknown
from evident.people import selectors
from evident.people.identifiers import (
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)
from evident.people.models import Address, Person, PersonDisability

# Annex A `Child Unique ID` / CIN census LAchildID: at most 20 letters and digits.
COUNCIL_ID_RE = re.compile(r"^[A-Za-z0-9]{1,20}$")
COUNCIL_ID_ATTEMPTS = 5
EARLIEST_DATE_OF_BIRTH = date(1900, 1, 1)
# A pregnancy is known about for at most about 9 months: further out is a typing error.
LONGEST_EXPECTED_WAIT = timedelta(days=300)
ACCESS_LOG_PAGE_SIZE = 50


def _council_id_prefix() -> str:
    return str(getattr(settings, "EVIDENT_COUNCIL_ID_PREFIX", "NB"))


# -- Validation ------------------------------------------------------------------------------


def _name_errors(errors: dict[str, list[str]], first_name: str, last_name: str) -> None:
    if not first_name.strip():
        errors.setdefault("first_name", []).append("Enter the first name")
    elif len(first_name.strip()) > 100:
        errors.setdefault("first_name", []).append("First name must be 100 characters or fewer")
    if not last_name.strip():
        errors.setdefault("last_name", []).append("Enter the last name")
    elif len(last_name.strip()) > 100:
        errors.setdefault("last_name", []).append("Last name must be 100 characters or fewer")


def _birth_errors(
    errors: dict[str, list[str]],
    date_of_birth: date | None,
    expected_date_of_birth: date | None,
    sex: str,
    today: date,
) -> None:
    if date_of_birth is not None and expected_date_of_birth is not None:
        errors.setdefault("expected_date_of_birth", []).append(
            "Enter a date of birth or an expected date of birth, not both"
        )
    if date_of_birth is not None:
        if date_of_birth > today:
            errors.setdefault("date_of_birth", []).append(
                "Date of birth must be today or in the past"
            )
        elif date_of_birth < EARLIEST_DATE_OF_BIRTH:
            errors.setdefault("date_of_birth", []).append("Date of birth must be after 1 1 1900")
    if expected_date_of_birth is not None:
        if expected_date_of_birth < today:
            errors.setdefault("expected_date_of_birth", []).append(
                "Expected date of birth must be today or in the future"
            )
        elif expected_date_of_birth > today + LONGEST_EXPECTED_WAIT:
            errors.setdefault("expected_date_of_birth", []).append(
                "Expected date of birth must be within the next 10 months"
            )
        if date_of_birth is None and sex != Sex.UNKNOWN:
            # CIN census rule: an unborn child's sex is always U.
            errors.setdefault("sex", []).append(
                "For a child not born yet, select 'Not known or not recorded'"
            )


def _code_errors(
    errors: dict[str, list[str]],
    sex: str,
    gender: str,
    ethnicity: str,
    upn_unknown_reason: str,
    disabilities: Sequence[str],
) -> None:
    if sex not in Sex.values:
        errors.setdefault("sex", []).append("Select the sex")
    if gender not in Gender.values:
        errors.setdefault("gender", []).append("Select the gender")
    if ethnicity not in Ethnicity.values:
        errors.setdefault("ethnicity", []).append("Select the ethnicity")
    if upn_unknown_reason and upn_unknown_reason not in UPNUnknown.values:
        errors.setdefault("upn_unknown_reason", []).append("Select a reason from the list")
    unknown = [code for code in disabilities if code not in Disability.values]
    if unknown:
        errors.setdefault("disabilities", []).append("Select disabilities from the list")
    elif Disability.NONE in disabilities and len(set(disabilities)) > 1:
        errors.setdefault("disabilities", []).append(
            "Select 'No disability' on its own, or only the disabilities the child has"
        )


def _identifier_errors(
    errors: dict[str, list[str]],
    nhs_number: str,
    upn: str,
    upn_unknown_reason: str,
    exclude: Person | None = None,
) -> None:
    """``exclude``: the person being changed, whose own NHS number is no clash."""
    if nhs_number:
        try:
            validate_nhs_number(nhs_number)
        except ValidationError as exc:
            errors.setdefault("nhs_number", []).extend(exc.messages)
        else:
            others = Person.objects.filter(nhs_number=normalise_nhs_number(nhs_number))
            if exclude is not None:
                others = others.exclude(pk=exclude.pk)
            if others.exists():
                errors.setdefault("nhs_number", []).append(
                    "A person with this NHS number is already recorded: search for them "
                    "instead of adding them again"
                    if exclude is None
                    else "Another person is recorded with this NHS number: check the number, "
                    "or merge the two records if they are the same person"
                )
    if upn:
        try:
            validate_upn(upn)
        except ValidationError as exc:
            errors.setdefault("upn", []).extend(exc.messages)
        if upn_unknown_reason:
            errors.setdefault("upn_unknown_reason", []).append(
                "Leave the reason for no UPN blank when you enter a UPN"
            )


def _address_errors(
    errors: dict[str, list[str]], address_line_1: str, town: str, postcode: str
) -> None:
    if not (address_line_1 or town or postcode):
        return
    if not address_line_1:
        errors.setdefault("address_line_1", []).append(
            "Enter address line 1, or leave the address blank"
        )
    elif len(address_line_1) > 200:
        errors.setdefault("address_line_1", []).append(
            "Address line 1 must be 200 characters or fewer"
        )
    if len(town) > 100:
        errors.setdefault("town", []).append("Town or city must be 100 characters or fewer")
    if not postcode:
        errors.setdefault("postcode", []).append("Enter the postcode, or leave the address blank")
    else:
        try:
            validate_postcode(postcode)
        except ValidationError as exc:
            errors.setdefault("postcode", []).extend(exc.messages)


def person_details_validate(
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date | None = None,
    expected_date_of_birth: date | None = None,
    sex: str,
    gender: str = Gender.NOT_STATED,
    ethnicity: str = Ethnicity.NOBT,
    nhs_number: str = "",
    upn: str = "",
    upn_unknown_reason: str = "",
    disabilities: Sequence[str] = (),
    address_line_1: str = "",
    town: str = "",
    postcode: str = "",
    council_id: str = "",
    exclude: Person | None = None,
) -> None:
    """The rules for a person's details, all checked at once: raises ``ValidationError`` whose
    ``error_dict`` is keyed by ``person_create``'s argument names (and PersonForm's fields).
    ``exclude`` is the person whose details are being changed (not a clash with themself)."""
    errors: dict[str, list[str]] = {}
    _name_errors(errors, first_name, last_name)
    _birth_errors(errors, date_of_birth, expected_date_of_birth, sex, timezone.localdate())
    _code_errors(errors, sex, gender, ethnicity, upn_unknown_reason, disabilities)
    _identifier_errors(errors, nhs_number.strip(), upn.strip(), upn_unknown_reason, exclude)
    _address_errors(errors, address_line_1.strip(), town.strip(), postcode.strip())
    if council_id:
        if not COUNCIL_ID_RE.match(council_id):
            errors.setdefault("council_id", []).append(
                "Council ID must be 1 to 20 letters and digits"
            )
        elif Person.objects.filter(council_id=council_id).exists():
            errors.setdefault("council_id", []).append("That council ID is already in use")
    if errors:
        raise ValidationError(errors)


# -- Creating a person ----------------------------------------------------------------------


def _next_council_id() -> str:
    """A free '<prefix>' + 7 digits, drawn at random like the IDs already issued (imported
    and seeded records use the same shape, so "highest plus one" would run into them)."""
    prefix = _council_id_prefix()
    while True:
        candidate = f"{prefix}{secrets.randbelow(9_000_000) + 1_000_000}"
        if not Person.objects.filter(council_id=candidate).exists():
            return candidate


def _save_with_council_id(person: Person, council_id: str) -> None:
    """Insert the person, allocating a council ID. Two people added at the same moment can
    draw the same free ID: the unique index refuses the second, which draws again."""
    for _ in range(COUNCIL_ID_ATTEMPTS):
        person.council_id = council_id or _next_council_id()
        try:
            with transaction.atomic():
                person.save(force_insert=True)
            return
        except IntegrityError:
            if not Person.objects.filter(council_id=person.council_id).exists():
                raise
            if council_id:
                raise ValidationError(
                    {"council_id": ["That council ID is already in use"]}
                ) from None
    raise RuntimeError("Could not allocate a council ID: try again")


@transaction.atomic
def person_create(
    *,
    actor: Any,
    first_name: str,
    last_name: str,
    date_of_birth: date | None = None,
    expected_date_of_birth: date | None = None,
    sex: str,
    gender: str = "not_stated",
    ethnicity: str = "NOBT",
    nhs_number: str = "",
    upn: str = "",
    upn_unknown_reason: str = "",
    disabilities: Sequence[str] = (),
    address_line_1: str = "",
    town: str = "",
    postcode: str = "",
    council_id: str = "",
) -> Person:
    """Record a new person (a child, unborn child or adult), with their current address.

    Raises ``ValidationError`` (keyed by argument name) for bad input, so callers without
    a form are as safe as the add-a-person page. Writes one CREATE audit event.
    """
    person_details_validate(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        expected_date_of_birth=expected_date_of_birth,
        sex=sex,
        gender=gender,
        ethnicity=ethnicity,
        nhs_number=nhs_number,
        upn=upn,
        upn_unknown_reason=upn_unknown_reason,
        disabilities=disabilities,
        address_line_1=address_line_1,
        town=town,
        postcode=postcode,
        council_id=council_id,
    )
    person = Person(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        expected_date_of_birth=expected_date_of_birth,
        sex=sex,
        gender=gender,
        ethnicity=ethnicity,
        nhs_number=normalise_nhs_number(nhs_number.strip()),
        upn=normalise_upn(upn),
        upn_unknown_reason=upn_unknown_reason,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _save_with_council_id(person, council_id)
    PersonDisability.objects.bulk_create(
        PersonDisability(person=person, code=code) for code in dict.fromkeys(disabilities)
    )
    if address_line_1.strip():
        Address.objects.create(
            person=person,
            line_1=address_line_1.strip(),
            town=town.strip(),
            postcode=normalise_postcode(postcode),
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=person,
        person=person,
        detail={"council_id": person.council_id},
    )
    return person


# -- Changing a person's details -------------------------------------------------------------

# The details ``person_details_update`` changes, in the order the audit event lists them.
DETAIL_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "expected_date_of_birth",
    "sex",
    "gender",
    "ethnicity",
    "nhs_number",
    "upn",
    "upn_unknown_reason",
)
DETAILS_CHANGED_MESSAGE = (
    "Someone else changed this person's details while you were working on it. "
    "Check the latest record, then save again"
)


def person_details_fingerprint(person: Person) -> str:
    """A short hash of the person's changeable details and disability codes. Person has no
    version column: the change page carries this, and a save from a page showing older
    details is refused rather than overwriting someone else's change."""
    details: dict[str, Any] = {name: getattr(person, name) for name in DETAIL_FIELDS}
    details["disabilities"] = sorted(person.disabilities.values_list("code", flat=True))
    text = json.dumps(details, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@transaction.atomic
def person_details_update(
    *,
    actor: Any,
    person: Person,
    expected: str,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    expected_date_of_birth: date | None,
    sex: str,
    gender: str,
    ethnicity: str,
    nhs_number: str,
    upn: str,
    upn_unknown_reason: str,
    disabilities: Sequence[str],
) -> Person:
    """Correct a person's details (the same rules as adding them) and their disabilities.

    ``expected`` is ``person_details_fingerprint`` from when the form was shown: if the
    details have changed since, ``ValidationError`` and nothing is saved. A merged-away
    record is refused (change the kept one). Writes one UPDATE audit event naming the
    fields changed (not their values, which the record itself holds); no change, no event.
    """
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.merged_into_id is not None:
        raise ValidationError(
            "This record was merged into another: change the details on the kept record"
        )
    if person_details_fingerprint(locked) != expected:
        raise ValidationError(DETAILS_CHANGED_MESSAGE, code="conflict")
    person_details_validate(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        expected_date_of_birth=expected_date_of_birth,
        sex=sex,
        gender=gender,
        ethnicity=ethnicity,
        nhs_number=nhs_number,
        upn=upn,
        upn_unknown_reason=upn_unknown_reason,
        disabilities=disabilities,
        exclude=locked,
    )
    wanted: dict[str, Any] = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "date_of_birth": date_of_birth,
        "expected_date_of_birth": expected_date_of_birth,
        "sex": sex,
        "gender": gender,
        "ethnicity": ethnicity,
        "nhs_number": normalise_nhs_number(nhs_number.strip()),
        "upn": normalise_upn(upn),
        "upn_unknown_reason": upn_unknown_reason,
    }
    changed = [name for name in DETAIL_FIELDS if getattr(locked, name) != wanted[name]]
    codes = set(disabilities)
    held = set(locked.disabilities.values_list("code", flat=True))
    if codes != held:
        changed.append("disabilities")
    if not changed:
        return locked
    for name in changed:
        if name in wanted:
            setattr(locked, name, wanted[name])
    fields = [name for name in changed if name in wanted]
    if fields:
        locked.save(update_fields=fields)
    if codes != held:
        locked.disabilities.exclude(code__in=codes).delete()
        PersonDisability.objects.bulk_create(
            PersonDisability(person=locked, code=code) for code in sorted(codes - held)
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=locked,
        person=locked,
        section="details",
        detail={"changed": changed},
    )
    return locked


# -- Audited reads -------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResults:
    people: list[Person]
    # More people matched than are shown: the searcher should narrow the search.
    more: bool


@transaction.atomic
def people_search_audited(
    *,
    actor: Any,
    name: str = "",
    date_of_birth: date | None = None,
    nhs_number: str = "",
    postcode: str = "",
    limit: int = 50,
    path: str = "",
) -> SearchResults:
    """Search, then record it: one SEARCH event with the criteria, and a read of each person
    listed (the results table shows their details). Raises ValueError with no criteria."""
    found = selectors.people_search(
        user=actor,
        name=name,
        date_of_birth=date_of_birth,
        nhs_number=nhs_number,
        postcode=postcode,
        limit=limit + 1,
    )
    shown = found[:limit]
    criteria = {
        "name": name.strip(),
        "date_of_birth": date_of_birth.isoformat() if date_of_birth else "",
        "nhs_number": normalise_nhs_number(nhs_number),
        "postcode": normalise_postcode(postcode),
    }
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SEARCH,
        record_type="people.person",
        section="search",
        path=path,
        detail={
            "criteria": {k: v for k, v in criteria.items() if v},
            "results": len(shown),
            "more": len(found) > limit,
        },
    )
    audit_people_read(actor=actor, people=shown, section="search results", path=path)
    return SearchResults(people=shown, more=len(found) > limit)


@transaction.atomic
def person_record_open(*, actor: Any, person_id: Any, path: str = "") -> selectors.PersonRecord:
    """The person's record for the record page: 404 out of scope, else audited, then read."""
    person = selectors.person_get_for_user(user=actor, person_id=person_id)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=person,
        person=person,
        section="record",
        path=path,
    )
    return selectors.person_record_for_user(user=actor, person=person)


@transaction.atomic
def person_details_open(*, actor: Any, person_id: Any, path: str = "") -> Person:
    """The person for the change-details page: 404 out of scope, else audited (the form
    shows their details), then read."""
    person = selectors.person_get_for_user(user=actor, person_id=person_id)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=person,
        person=person,
        section="change details",
        path=path,
    )
    return person


@dataclass(frozen=True)
class AccessLog:
    person: Person
    page: Page[AuditEvent]


@transaction.atomic
def person_access_log_open(
    *, actor: Any, person_id: Any, page_number: Any = 1, path: str = ""
) -> AccessLog:
    """'Who has viewed this record', newest first, 50 a page. Looking at it is itself a
    read of the person's record, so it is audited (and appears in the log it shows)."""
    person = selectors.person_get_for_user(user=actor, person_id=person_id)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=person,
        person=person,
        section="who has viewed",
        path=path,
    )
    paginator = Paginator(access_log_for_person(person=person), ACCESS_LOG_PAGE_SIZE)
    page = paginator.get_page(page_number)
    list(page.object_list)  # fetch inside the transaction, after the audit write
    return AccessLog(person=person, page=page)
