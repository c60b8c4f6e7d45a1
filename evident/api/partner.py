"""``/api/v1/partner/``: partner organisations' systems send notices and follow them.

A police force's system, for example, sends its public protection notices here. Each call
carries the organisation's token (``Authorization: Bearer <token>``); a notice becomes a
contact exactly as a portal submission does (``contact_submit``), and sending the same
notice again (the same ``sender_reference``) answers with the contact it already made.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)

from evident.api.access import allow_partner_token
from evident.api.models import ApiToken
from evident.front_door.models import Contact
from evident.front_door.services import contact_submit
from evident.portal.selectors import submission_outcomes, submission_status, submissions_for

router = Router(tags=["Partner systems"])

PARTNER = allow_partner_token()
MAX_CHILDREN = 20


def _printable(value: str) -> str:
    # NUL and other control characters cannot be stored (PostgreSQL refuses NUL outright).
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
        raise ValueError("must not contain control characters")
    return value


# The same rules in the schema, so a partner's developer (and the fuzzer) can see them: no
# control characters, and a required answer has something other than spaces in it.
_PRINTABLE = r"[^\x00-\x08\x0B\x0C\x0E-\x1F]"
_ANY_TEXT = rf"^{_PRINTABLE}*$"
_SOME_TEXT = rf"^{_PRINTABLE}*[^\s\x00-\x1F]{_PRINTABLE}*$"


def _text(max_length: int, *, required: bool = False) -> Any:
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1 if required else 0, max_length=max_length
        ),
        AfterValidator(_printable),
        WithJsonSchema(
            {
                "type": "string",
                "minLength": 1 if required else 0,
                "maxLength": max_length,
                "pattern": _SOME_TEXT if required else _ANY_TEXT,
            }
        ),
    ]


SenderReference = _text(100, required=True)

# An address Django's email validator accepts (the schema's "email" format allows more).
_EMAIL = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def _an_email_address(value: str) -> str:
    try:
        validate_email(value)
    except DjangoValidationError as exc:
        raise ValueError("must be an email address, like name@example.org") from exc
    return value


Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=254),
    AfterValidator(_an_email_address),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 254, "pattern": _EMAIL}),
]


def _written(value: Any) -> Any:
    # Dates and times come as ISO 8601 text: a bare number (1700000000) is refused, not
    # read as seconds since 1970.
    if value is not None and not isinstance(value, str):
        raise ValueError("must be written as ISO 8601 text, like 2026-03-01")
    return value


Day = Annotated[dt.date, BeforeValidator(_written)]
Moment = Annotated[dt.datetime, BeforeValidator(_written)]


class ChildIn(Schema):
    # A child needs a date of birth or an approximate age (the portal's rule, in the schema).
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {
                    "required": ["date_of_birth"],
                    "properties": {"date_of_birth": {"type": "string"}},
                },
                {
                    "required": ["approximate_age"],
                    "properties": {"approximate_age": {"type": "string", "pattern": _SOME_TEXT}},
                },
            ]
        }
    )

    first_name: _text(100, required=True)  # type: ignore[valid-type]
    last_name: _text(100, required=True)  # type: ignore[valid-type]
    # A future date is an unborn baby's expected date (pre-birth concerns), as in the portal.
    date_of_birth: Day | None = Field(None, description="For an unborn baby, the due date")
    approximate_age: _text(50) = Field("", description="When the date of birth is not known")  # type: ignore[valid-type]
    address: _text(500) = ""  # type: ignore[valid-type]
    postcode: _text(10) = ""  # type: ignore[valid-type]
    school: _text(200) = ""  # type: ignore[valid-type]


class NoticeIn(Schema):
    # Refused consent needs the reason (the portal's rule, in the schema).
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"required": ["consent"], "properties": {"consent": {"const": "refused"}}},
            "then": {
                "required": ["consent_reason"],
                "properties": {"consent_reason": {"type": "string", "pattern": _SOME_TEXT}},
            },
        }
    )

    sender_reference: SenderReference = Field(  # type: ignore[valid-type]
        ..., description="Your own reference for the notice; sending it again is harmless"
    )
    occurred_at: Moment | None = Field(
        None,
        description="When what the notice describes happened: with a time zone, not in the future",
    )
    concern: _text(20_000, required=True)  # type: ignore[valid-type]
    actions_taken: _text(20_000) = ""  # type: ignore[valid-type]
    children: list[ChildIn] = Field(..., min_length=1, max_length=MAX_CHILDREN)
    consent: Contact.Consent = Field(..., description="Whether the family knows and agrees")
    consent_reason: _text(5_000) = Field(  # type: ignore[valid-type]
        "", description="Why you are making the referral without consent (when refused)"
    )
    referrer_name: _text(200, required=True)  # type: ignore[valid-type]
    referrer_phone: _text(40, required=True)  # type: ignore[valid-type]
    referrer_email: Email

    @field_validator("occurred_at")
    @classmethod
    def _in_the_past(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        if timezone.is_naive(value):
            raise ValueError("must include a time zone, like 2026-03-01T22:15:00+00:00")
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise ValueError("must not be in the future")
        return value


class OutcomeOut(Schema):
    child: str  # the name as the partner sent it
    outcome: str  # in plain words


class ContactOut(Schema):
    reference: str = Field(..., description="The council's reference for the contact")
    sender_reference: str
    status: str = Field(..., description="Received, or Decision made")
    received_at: dt.datetime
    outcomes: list[OutcomeOut] = Field(
        ..., description="Each child's outcome, once every child's decision is authorised"
    )


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]  # where: ["body", "notice", "children", 0, "first_name"]
    msg: str  # what is wrong
    type: str


class FieldErrorsOut(Schema):
    detail: list[FieldError]


def _contact_out(*, token: ApiToken, contact: Contact, path: str) -> ContactOut:
    outcomes = submission_outcomes(user=token.account, contact=contact, path=path)
    return ContactOut(
        reference=contact.reference,
        sender_reference=contact.sender_reference,
        status=submission_status(contact),
        received_at=contact.received_at,
        outcomes=[OutcomeOut(child=o.name, outcome=o.outcome) for o in outcomes],
    )


def _already_sent(token: ApiToken, sender_reference: str) -> Contact | None:
    return submissions_for(token.account).filter(sender_reference=sender_reference).first()


def _concern(notice: NoticeIn) -> str:
    if notice.occurred_at is None:
        return str(notice.concern)
    when = timezone.localtime(notice.occurred_at)
    return f"When it happened: {when:%-d %B %Y at %H:%M}.\n\n{notice.concern}"


def _field_errors(exc: DjangoValidationError) -> list[FieldError]:
    messages = exc.message_dict if hasattr(exc, "error_dict") else {"notice": exc.messages}
    return [
        FieldError(loc=["body", "notice", field], msg=message, type="value_error")
        for field, field_messages in messages.items()
        for message in field_messages
    ]


@router.post(
    "/partner/contacts",
    response={
        200: ContactOut,
        201: ContactOut,
        400: ErrorOut,
        401: ErrorOut,
        422: FieldErrorsOut,
    },
    auth=PARTNER,
    summary="Send a notice (idempotent by your sender_reference)",
)
def partner_contact_send(request: HttpRequest, notice: NoticeIn) -> Status[Any]:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    sender_reference = str(notice.sender_reference)
    existing = _already_sent(token, sender_reference)
    if existing is not None:
        return Status(200, _contact_out(token=token, contact=existing, path=request.path))
    try:
        with transaction.atomic():
            contact = contact_submit(
                actor=token.account,
                children=[child.model_dump() for child in notice.children],
                concern=_concern(notice),
                consent=str(notice.consent),
                consent_reason=str(notice.consent_reason),
                referrer_name=str(notice.referrer_name),
                referrer_phone=str(notice.referrer_phone),
                referrer_email=str(notice.referrer_email),
                actions_taken=str(notice.actions_taken),
            )
            contact.sender_reference = sender_reference
            contact.save(update_fields=["sender_reference"])
    except DjangoValidationError as exc:
        return Status(422, FieldErrorsOut(detail=_field_errors(exc)))
    except IntegrityError:
        # The same notice arrived twice at once: the other request made the contact.
        existing = _already_sent(token, sender_reference)
        if existing is None:
            raise
        return Status(200, _contact_out(token=token, contact=existing, path=request.path))
    return Status(201, _contact_out(token=token, contact=contact, path=request.path))


@router.get(
    # ``path:`` so a reference with a slash in it ("PPN/2026/17") is one reference.
    "/partner/contacts/{path:sender_reference}",
    response={200: ContactOut, 401: ErrorOut, 404: ErrorOut},
    auth=PARTNER,
    summary="A notice's status, and the outcome once it is decided",
)
def partner_contact_get(request: HttpRequest, sender_reference: str) -> ContactOut:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    # Another organisation's reference is answered exactly as an unknown one.
    found = None
    if 0 < len(sender_reference) <= 100 and "\x00" not in sender_reference:
        found = _already_sent(token, sender_reference)
    if found is None:
        raise HttpError(404, "Not Found")
    return _contact_out(token=token, contact=found, path=request.path)
