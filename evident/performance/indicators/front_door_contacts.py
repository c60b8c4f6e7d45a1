"""Front-door indicators about contacts themselves (issue 3 item 10): where contacts come
from, how many lead to a referral, repeat contacts, consent, the child's voice and
information requests answered on time.

Every one counts a child on a contact (as the decision indicator does), in the month
the contact was received; information requests count in the month they were sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

from evident.core.codes import ReferralSource
from evident.front_door.models import (
    Contact,
    ContactChild,
    Decision,
    InformationRequest,
    VoiceKnown,
)
from evident.performance.indicators.base import (
    Indicator,
    Status,
    Unit,
    UnitsFunction,
    timed_status,
)
from evident.performance.indicators.front_door import contact_rows
from evident.performance.indicators.registry import register
from evident.performance.periods import month_of

REFERRAL_OUTCOMES = (Decision.Outcome.REFERRAL.value, Decision.Outcome.STRATEGY_DISCUSSION.value)
# The family was asked: consent given or refused.
CONSENT_SOUGHT = (Contact.Consent.GIVEN.value, Contact.Consent.REFUSED.value)
# Every answer but "given" is recorded only with its reason (why refused consent did not
# stop the contact; why consent was dispensed with or not sought).
CONSENT_NEEDS_REASON = (
    Contact.Consent.REFUSED.value,
    Contact.Consent.DISPENSED.value,
    Contact.Consent.NOT_SOUGHT.value,
)
REPEAT_MONTHS = 12


def _unit(row: dict[str, object], status: Status, completed_at: object = None) -> Unit:
    received_at = row["contact__received_at"]
    assert isinstance(received_at, datetime)  # noqa: S101 (a non-null column)
    return Unit(
        month=month_of(received_at),
        status=status,
        person_id=row["person_id"],  # type: ignore[arg-type]
        child_id=str(row["person__council_id"]),
        date_of_birth=row["person__date_of_birth"],  # type: ignore[arg-type]
        expected_date_of_birth=row["person__expected_date_of_birth"],  # type: ignore[arg-type]
        started_at=received_at,
        due_at=received_at,  # no time limit: the drill-down hides it
        completed_at=completed_at,  # type: ignore[arg-type]
    )


# Contacts by source ------------------------------------------------------------------------

# The census groups model.md quotes national shares for (police ~29%, schools ~21%...).
SOURCE_GROUPS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("police", "the police", frozenset({ReferralSource.POLICE})),
    (
        "education",
        "schools and education services",
        frozenset({ReferralSource.SCHOOLS, ReferralSource.EDUCATION_SERVICES}),
    ),
    ("health", "health services", frozenset(s for s in ReferralSource.values if s[0] == "3")),
    (
        "la-services",
        "council (LA) services",
        frozenset(s for s in ReferralSource.values if s[0] == "5"),
    ),
    ("individuals", "individuals", frozenset(s for s in ReferralSource.values if s[0] == "1")),
)
GROUPED = frozenset().union(*(codes for _, _, codes in SOURCE_GROUPS))
OTHER_SOURCES = frozenset(ReferralSource.values) - GROUPED


def source_units(codes: frozenset[str]) -> UnitsFunction:
    def units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
        for row in contact_rows(start, end):
            yield _unit(row, Status.MET if row["contact__source"] in codes else Status.NOT_MET)

    return units


def _source_indicator(slug: str, words: str, codes: frozenset[str]) -> Indicator:
    return Indicator(
        code=f"contacts-from-{slug}",
        title=f"Contacts from {words}",
        definition=(
            f"Of the children on contacts received in the month, the share whose contact came "
            f"from {words} (the census source recorded on the contact: "
            f"{', '.join(sorted(codes, key=lambda c: (len(c), c)))}). One of a set of "
            "indicators that together show where contacts come from; a share to watch "
            "against the national pattern, not a target."
        ),
        numerator=f"Children on contacts from {words}",
        denominator="Children on contacts received in the month",
        higher_is_better=False,
        neutral=True,
        units=source_units(codes),
        unit_noun="child on a contact",
        started_label="Contact received",
        status_heading=f"From {words}",
        met_phrase=f"from {words}",
        status_labels=(
            (Status.MET, "Yes"),
            (Status.NOT_MET, "No"),
            (Status.PENDING, "Not counted"),
        ),
        timed=False,
    )


CONTACTS_BY_SOURCE = [
    register(_source_indicator(slug, words, codes))
    for slug, words, codes in (
        *SOURCE_GROUPS,
        (
            "other",
            "other sources (housing, legal agencies, others, anonymous, unknown)",
            OTHER_SOURCES,
        ),
    )
]


# Contacts leading to referral --------------------------------------------------------------


def referral_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    """Met when the child's authorised decision was a referral to children's social care
    or a strategy discussion; not met when it was anything else; pending until then."""
    authorised = Decision.Status.AUTHORISED.value
    for row in contact_rows(start, end):
        if row["decision__status"] != authorised:
            yield _unit(row, Status.PENDING)
        elif row["decision__outcome"] in REFERRAL_OUTCOMES:
            yield _unit(row, Status.MET, row["decision__authorised_at"])
        else:
            yield _unit(row, Status.NOT_MET, row["decision__authorised_at"])


CONTACTS_LEADING_TO_REFERRAL = register(
    Indicator(
        code="contacts-leading-to-referral",
        title="Contacts leading to a referral",
        definition=(
            "Of the children on contacts received in the month whose decision has been "
            "authorised, the share referred to children's social care (a referral or a "
            "strategy discussion). Children still awaiting an authorised decision are not "
            "counted until they have one. Nationally there are three to four contacts per "
            "referral: a share to watch, not a target."
        ),
        numerator="Children whose authorised decision was a referral or strategy discussion",
        denominator="Children on contacts received in the month with an authorised decision",
        higher_is_better=True,
        neutral=True,
        units=referral_units,
        unit_noun="child on a contact",
        started_label="Contact received",
        completed_label="Decision authorised",
        status_heading="Referred",
        met_phrase="referred",
        pending_phrase="awaiting an authorised decision",
        status_labels=(
            (Status.MET, "Referred"),
            (Status.NOT_MET, "Not referred"),
            (Status.PENDING, "Not decided yet"),
        ),
        timed=False,
    )
)


# Repeat contacts -------------------------------------------------------------------------


def year_before(moment: datetime) -> datetime:
    """The same moment twelve months earlier (28 February for 29 February)."""
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:
        return moment.replace(year=moment.year - 1, day=28)


def repeat_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    """Met (a repeat) when the same child was on another contact received in the twelve
    months before this one. Two queries: the period's rows, then every child's contacts
    from twelve months before the period to its end, kept for the period's children. Not
    filtered by a list of those children: SQLite probes such a list once per contact, which
    took seconds for a 30,000-child council."""
    rows = list(contact_rows(start, end))
    people = {row["person_id"] for row in rows}
    received: dict[object, list[datetime]] = defaultdict(list)
    for person_id, other_at in (
        ContactChild.objects.filter(
            contact__received_at__gte=year_before(start), contact__received_at__lt=end
        )
        .order_by()
        .values_list("person_id", "contact__received_at")
    ):
        if person_id in people:
            received[person_id].append(other_at)
    for row in rows:
        at = row["contact__received_at"]
        assert isinstance(at, datetime)  # noqa: S101 (a non-null column)
        since = year_before(at)
        earlier = [t for t in received[row["person_id"]] if since <= t < at]
        yield _unit(row, Status.MET if earlier else Status.NOT_MET, max(earlier, default=None))


REPEAT_CONTACTS = register(
    Indicator(
        code="repeat-contacts-12-months",
        title="Repeat contacts within 12 months",
        definition=(
            "Of the children on contacts received in the month, the share who were also on "
            "another contact received in the 12 months before it (to the same time of day). "
            "A high share suggests needs are not being met after earlier contacts."
        ),
        numerator="Children with another contact in the 12 months before",
        denominator="Children on contacts received in the month",
        higher_is_better=False,
        units=repeat_units,
        unit_noun="child on a contact",
        started_label="Contact received",
        completed_label="Previous contact",
        status_heading="Repeat contact",
        met_phrase="repeat contacts",
        status_labels=(
            (Status.MET, "Repeat"),
            (Status.NOT_MET, "First in 12 months"),
            (Status.PENDING, "Not counted"),
        ),
        timed=False,
    )
)


# Consent ---------------------------------------------------------------------------------


def consent_recorded(row: dict[str, object]) -> bool:
    """Given; or refused, dispensed with or not sought together with the reason. The
    forms and the API refuse those without a reason, so a gap here is a record from
    before that rule or from an import."""
    consent = row["contact__consent"]
    if consent == Contact.Consent.GIVEN:
        return True
    return consent in CONSENT_NEEDS_REASON and bool(row["consent_reason_given"])


def consent_recorded_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    for row in contact_rows(start, end):
        yield _unit(row, Status.MET if consent_recorded(row) else Status.NOT_MET)


def consent_sought_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    """Met when the family was asked (consent given or refused); not met when consent was
    dispensed with or not sought, whatever the reason."""
    for row in contact_rows(start, end):
        sought = row["contact__consent"] in CONSENT_SOUGHT
        yield _unit(row, Status.MET if sought else Status.NOT_MET)


CONSENT_RECORDED_INDICATOR = register(
    Indicator(
        code="consent-recorded",
        title="Consent recorded",
        definition=(
            "Of the children on contacts received in the month, the share whose contact "
            "records the family's consent decision in full: consent given; or refused, "
            "dispensed with or not sought together with the reason (for example a risk to "
            "the child). Not recorded: an answer other than given with no reason."
        ),
        numerator="Children on contacts with the consent decision and any reason recorded",
        denominator="Children on contacts received in the month",
        higher_is_better=True,
        units=consent_recorded_units,
        unit_noun="child on a contact",
        started_label="Contact received",
        status_heading="Consent recorded",
        met_phrase="with consent recorded",
        status_labels=(
            (Status.MET, "Recorded"),
            (Status.NOT_MET, "No reason recorded"),
            (Status.PENDING, "Not counted"),
        ),
        timed=False,
    )
)

CONSENT_SOUGHT_INDICATOR = register(
    Indicator(
        code="consent-sought",
        title="Consent sought",
        definition=(
            "Of the children on contacts received in the month, the share whose family was "
            "asked for consent (given or refused). The rest had consent dispensed with or "
            "not sought, each with its reason on the contact: a low share is a prompt to "
            "read those reasons, not a failure in itself."
        ),
        numerator="Children on contacts where consent was given or refused",
        denominator="Children on contacts received in the month",
        higher_is_better=True,
        units=consent_sought_units,
        unit_noun="child on a contact",
        started_label="Contact received",
        status_heading="Consent sought",
        met_phrase="whose family was asked for consent",
        status_labels=(
            (Status.MET, "Sought"),
            (Status.NOT_MET, "Dispensed with or not sought"),
            (Status.PENDING, "Not counted"),
        ),
        timed=False,
    )
)


# The child's voice -------------------------------------------------------------------------


def voice_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    """Met when the child's views are recorded; not met when recorded as not known, or
    left blank once the decision is authorised; pending while the decision is not yet
    authorised. Children for whom it does not apply (a baby) are not counted."""
    authorised = Decision.Status.AUTHORISED.value
    for row in contact_rows(start, end):
        known = row["voice_known"]
        if known == VoiceKnown.NOT_APPLICABLE:
            continue
        if known == VoiceKnown.YES and str(row["voice_views"] or "").strip():
            yield _unit(row, Status.MET)
        elif known == VoiceKnown.NO or row["decision__status"] == authorised:
            yield _unit(row, Status.NOT_MET)
        else:
            yield _unit(row, Status.PENDING)


CHILDS_VOICE_RECORDED = register(
    Indicator(
        code="childs-voice-recorded",
        title="Child's voice recorded",
        definition=(
            "Of the children on contacts received in the month, the share whose wishes and "
            "feelings are recorded at the front door. Children for whom it does not apply "
            "(for example a baby) are left out; a child whose decision is not yet "
            "authorised is not counted until it is."
        ),
        numerator="Children whose views are recorded",
        denominator=(
            "Children on contacts received in the month, other than those for whom it does "
            "not apply, whose decision has been authorised or whose voice is recorded as not "
            "known"
        ),
        higher_is_better=True,
        units=voice_units,
        unit_noun="child on a contact",
        started_label="Contact received",
        status_heading="Voice recorded",
        met_phrase="with their voice recorded",
        pending_phrase="awaiting an authorised decision",
        status_labels=(
            (Status.MET, "Recorded"),
            (Status.NOT_MET, "Not recorded"),
            (Status.PENDING, "Not decided yet"),
        ),
        timed=False,
    )
)


# Information requests --------------------------------------------------------------------


def information_request_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    """One unit per child on the contact per request sent in [start, end): on time when
    answered by its due time; late when answered after it, or unanswered once it has
    passed; pending while unanswered and still within time."""
    answered = InformationRequest.Status.ANSWERED.value
    rows = (
        InformationRequest.objects.filter(requested_at__gte=start, requested_at__lt=end)
        .order_by()
        .values_list(
            "requested_at",
            "due_at",
            "status",
            "answered_at",
            "contact__children__person_id",
            "contact__children__person__council_id",
            "contact__children__person__date_of_birth",
            "contact__children__person__expected_date_of_birth",
        )
    )
    for requested_at, due_at, status, answered_at, person_id, child_id, born, expected in rows:
        if person_id is None:
            continue  # a portal contact whose children are not yet found in the records
        completed_at = answered_at if status == answered else None
        outcome = timed_status(completed_at=completed_at, due_at=due_at, now=now)
        yield Unit(
            month=month_of(requested_at),
            status=outcome,
            person_id=person_id,
            child_id=child_id,
            date_of_birth=born,
            expected_date_of_birth=expected,
            started_at=requested_at,
            due_at=due_at,
            completed_at=completed_at,
        )


INFORMATION_REQUESTS_ON_TIME = register(
    Indicator(
        code="information-requests-on-time",
        title="Information requests answered on time",
        definition=(
            "Of the information requests sent to partner agencies in the month, the share "
            "answered by the time they were due. Counted once for each child on the contact "
            "the request is about, like the other front-door indicators. A request still "
            "within time and unanswered is not counted until it is answered or its time "
            "runs out."
        ),
        numerator="Requests (per child) answered on or before the time they were due",
        denominator="Requests (per child) sent in the month that were answered or are overdue",
        higher_is_better=True,
        units=information_request_units,
        unit_noun="child on an information request",
        started_label="Request sent",
        due_label="Answer due",
        completed_label="Answered",
        pending_phrase="not yet answered and still within time",
    )
)
