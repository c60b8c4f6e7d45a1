"""Front-door indicators about the contacts themselves: where they come from, referrals,
repeats, consent, the child's voice and information requests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evident.front_door.models import (
    Contact,
    ContactChild,
    Decision,
    InformationRequest,
    VoiceKnown,
)
from evident.performance.indicators import (
    Status,
    indicator_get,
    indicator_list,
    indicator_month_units,
    indicator_months,
)
from evident.performance.indicators.base import shared_reads
from evident.performance.periods import add_months, month_of
from evident.performance.tests.conftest import london

pytestmark = pytest.mark.django_db

JUNE_2024 = date(2024, 6, 1)
LATER = london(2024, 8, 1, 9, 0)


def june(code: str, now: Any = LATER) -> dict[str, Status]:
    """Child ID -> status, for the children counted in June 2024."""
    indicator = indicator_get(code)
    assert indicator is not None
    return {
        unit.child_id: unit.status
        for unit in indicator_month_units(indicator, month=JUNE_2024, now=now)
    }


def test_every_front_door_indicator_is_registered():
    codes = {indicator.code for indicator in indicator_list()}
    assert {
        "contacts-from-police",
        "contacts-from-education",
        "contacts-from-health",
        "contacts-from-la-services",
        "contacts-from-individuals",
        "contacts-from-other",
        "contacts-leading-to-referral",
        "repeat-contacts-12-months",
        "consent-recorded",
        "consent-sought",
        "childs-voice-recorded",
        "information-requests-on-time",
    } <= codes


def test_contacts_by_source_share_out_every_child_exactly_once(front_door):
    front_door.contact(london(2024, 6, 3, 9), front_door.child("POLICE"), source="6")
    front_door.contact(london(2024, 6, 3, 10), front_door.child("SCHOOL"), source="2A")
    front_door.contact(london(2024, 6, 3, 11), front_door.child("GP"), source="3A")
    front_door.contact(london(2024, 6, 3, 12), front_door.child("HOUSING"), source="4")
    front_door.contact(london(2024, 6, 3, 13), front_door.child("SELF"), source="1C")
    front_door.contact(london(2024, 6, 3, 14), front_door.child("ADULTS"), source="5A")
    assert june("contacts-from-police") == {
        "POLICE": Status.MET,
        "SCHOOL": Status.NOT_MET,
        "GP": Status.NOT_MET,
        "HOUSING": Status.NOT_MET,
        "SELF": Status.NOT_MET,
        "ADULTS": Status.NOT_MET,
    }
    met = {
        code: [child for child, status in june(code).items() if status is Status.MET]
        for code in (
            "contacts-from-police",
            "contacts-from-education",
            "contacts-from-health",
            "contacts-from-la-services",
            "contacts-from-individuals",
            "contacts-from-other",
        )
    }
    assert met == {
        "contacts-from-police": ["POLICE"],
        "contacts-from-education": ["SCHOOL"],
        "contacts-from-health": ["GP"],
        "contacts-from-la-services": ["ADULTS"],
        "contacts-from-individuals": ["SELF"],
        "contacts-from-other": ["HOUSING"],
    }


def _outcome(contact: Contact, outcome: str) -> None:
    Decision.objects.filter(contact_child__contact=contact).update(outcome=outcome)


def test_contacts_leading_to_referral_count_only_authorised_decisions(front_door):
    authorised = london(2024, 6, 3, 15)
    referred = front_door.contact(
        london(2024, 6, 3, 9), front_door.child("REF"), authorised_at=authorised
    )
    _outcome(referred, Decision.Outcome.REFERRAL)
    strategy = front_door.contact(
        london(2024, 6, 3, 9), front_door.child("S47"), authorised_at=authorised
    )
    _outcome(strategy, Decision.Outcome.STRATEGY_DISCUSSION)
    front_door.contact(london(2024, 6, 3, 9), front_door.child("EH"), authorised_at=authorised)
    proposed = front_door.contact(
        london(2024, 6, 3, 9), front_door.child("PROPOSED"), status=Decision.Status.PROPOSED
    )
    _outcome(proposed, Decision.Outcome.REFERRAL)
    front_door.contact(london(2024, 6, 3, 9), front_door.child("UNDECIDED"))
    assert june("contacts-leading-to-referral") == {
        "REF": Status.MET,
        "S47": Status.MET,
        "EH": Status.NOT_MET,
        "PROPOSED": Status.PENDING,
        "UNDECIDED": Status.PENDING,
    }


def test_a_repeat_contact_is_one_within_the_twelve_months_before(front_door):
    repeat, old, first = (
        front_door.child("REPEAT"),
        front_door.child("OLD"),
        front_door.child("NEW"),
    )
    front_door.contact(london(2023, 6, 10, 9), repeat)  # 11 months 3 weeks before
    front_door.contact(london(2023, 6, 2, 9), old)  # more than 12 months before
    front_door.contact(london(2024, 6, 3, 9), repeat, old, first)
    assert june("repeat-contacts-12-months") == {
        "REPEAT": Status.MET,
        "OLD": Status.NOT_MET,
        "NEW": Status.NOT_MET,
    }


def test_a_second_contact_in_the_same_month_is_a_repeat_but_the_first_is_not(front_door):
    child = front_door.child("TWICE")
    front_door.contact(london(2024, 6, 3, 9), child)
    front_door.contact(london(2024, 6, 20, 9), child)
    indicator = indicator_get("repeat-contacts-12-months")
    assert indicator is not None
    statuses = sorted(
        (unit.started_at, unit.status)
        for unit in indicator_month_units(indicator, month=JUNE_2024, now=LATER)
    )
    assert [status for _, status in statuses] == [Status.NOT_MET, Status.MET]


def test_consent_is_recorded_with_its_reason_and_sought_when_the_family_was_asked(front_door):
    given = front_door.contact(london(2024, 6, 3, 9), front_door.child("GIVEN"))
    refused = front_door.contact(london(2024, 6, 3, 9), front_door.child("REFUSED"))
    not_sought = front_door.contact(london(2024, 6, 3, 9), front_door.child("NOT-SOUGHT"))
    dispensed = front_door.contact(london(2024, 6, 3, 9), front_door.child("DISPENSED"))
    # An imported record: not sought, and no reason (the forms refuse that today).
    bare = front_door.contact(london(2024, 6, 3, 9), front_door.child("NO-REASON"))
    Contact.objects.filter(pk=refused.pk).update(
        consent=Contact.Consent.REFUSED, consent_reason="Police notice: goes ahead"
    )
    Contact.objects.filter(pk=not_sought.pk).update(
        consent=Contact.Consent.NOT_SOUGHT, consent_reason="Asking would put the child at risk"
    )
    Contact.objects.filter(pk=dispensed.pk).update(
        consent=Contact.Consent.DISPENSED, consent_reason="Risk of significant harm"
    )
    Contact.objects.filter(pk=bare.pk).update(consent=Contact.Consent.NOT_SOUGHT, consent_reason="")
    assert given.consent == Contact.Consent.GIVEN
    assert june("consent-recorded") == {
        "GIVEN": Status.MET,
        "REFUSED": Status.MET,
        "NOT-SOUGHT": Status.MET,
        "DISPENSED": Status.MET,
        "NO-REASON": Status.NOT_MET,
    }
    assert june("consent-sought") == {
        "GIVEN": Status.MET,
        "REFUSED": Status.MET,
        "NOT-SOUGHT": Status.NOT_MET,
        "DISPENSED": Status.NOT_MET,
        "NO-REASON": Status.NOT_MET,
    }


def test_the_childs_voice_counts_recorded_views_and_leaves_out_babies(front_door):
    authorised = london(2024, 6, 3, 15)

    def with_voice(child_id: str, known: str, views: str = "", **kwargs: Any) -> None:
        contact = front_door.contact(london(2024, 6, 3, 9), front_door.child(child_id), **kwargs)
        ContactChild.objects.filter(contact=contact).update(voice_known=known, voice_views=views)

    with_voice("HEARD", VoiceKnown.YES, "Wants to stay with gran", authorised_at=authorised)
    with_voice("NOT-KNOWN", VoiceKnown.NO, authorised_at=authorised)
    with_voice("BABY", VoiceKnown.NOT_APPLICABLE, authorised_at=authorised)
    with_voice("BLANK-DECIDED", "", authorised_at=authorised)
    with_voice("BLANK-WAITING", "")
    assert june("childs-voice-recorded") == {
        "HEARD": Status.MET,
        "NOT-KNOWN": Status.NOT_MET,
        "BLANK-DECIDED": Status.NOT_MET,
        "BLANK-WAITING": Status.PENDING,
    }


def test_information_requests_are_on_time_when_answered_by_their_due_time(front_door, police):
    def request(child_id: str, answered_after: timedelta | None) -> None:
        contact = front_door.contact(london(2024, 6, 3, 9), front_door.child(child_id))
        sent = london(2024, 6, 3, 10)
        due = sent + timedelta(days=2)
        InformationRequest.objects.create(
            contact=contact,
            organisation=police,
            question="Any call-outs to the address?",
            requested_by=front_door.manager,
            requested_at=sent,
            due_at=due,
            status=(
                InformationRequest.Status.OPEN
                if answered_after is None
                else InformationRequest.Status.ANSWERED
            ),
            answer="" if answered_after is None else "Two call-outs",
            answered_by=None if answered_after is None else front_door.manager,
            answered_at=None if answered_after is None else due + answered_after,
        )

    request("ON-TIME", -timedelta(hours=1))
    request("LATE", timedelta(hours=1))
    request("UNANSWERED", None)
    assert june("information-requests-on-time") == {
        "ON-TIME": Status.MET,
        "LATE": Status.NOT_MET,
        "UNANSWERED": Status.NOT_MET,
    }
    # While still within time, an unanswered request is pending.
    assert june("information-requests-on-time", now=london(2024, 6, 4, 9))["UNANSWERED"] is (
        Status.PENDING
    )


def test_the_monthly_trend_counts_each_month(front_door):
    front_door.contact(london(2024, 5, 3, 9), front_door.child(), source="6")
    front_door.contact(london(2024, 6, 3, 9), front_door.child(), source="6")
    front_door.contact(london(2024, 6, 4, 9), front_door.child(), source="2A")
    indicator = indicator_get("contacts-from-police")
    assert indicator is not None
    months = {m.month: (m.numerator, m.denominator) for m in indicator_months(indicator, now=LATER)}
    assert months[date(2024, 5, 1)] == (1, 1)
    assert months[JUNE_2024] == (1, 2)


def test_front_door_indicators_read_the_contacts_once_inside_shared_reads(front_door):
    """Inside shared_reads() the indicators that count children on contacts make one read
    of them per period between them, and count exactly what they count on their own."""
    front_door.contact(london(2024, 5, 3, 9), front_door.child(), source="6")
    front_door.contact(london(2024, 6, 3, 9), front_door.child(), source="2A")
    front_door.contact(
        london(2024, 6, 4, 9), front_door.child(), authorised_at=london(2024, 6, 4, 15)
    )
    codes = [
        "contact-decisions-on-time",
        "contacts-from-police",
        "contacts-from-education",
        "contacts-leading-to-referral",
        "consent-recorded",
        "consent-sought",
        "childs-voice-recorded",
    ]
    indicators = [indicator_get(code) for code in codes]
    assert all(indicators)

    def trends() -> list[list[tuple[int, int, int]]]:
        return [
            [(m.numerator, m.denominator, m.pending) for m in indicator_months(i, now=LATER)]
            for i in indicators
            if i is not None
        ]

    with CaptureQueriesContext(connection) as alone:
        separately = trends()
    with CaptureQueriesContext(connection) as shared, shared_reads():
        together = trends()
    assert together == separately
    assert any(d for trend in separately for _, d, _ in trend)  # there was something to count

    def contact_reads(queries: CaptureQueriesContext) -> int:
        return sum(1 for q in queries.captured_queries if "front_door_contactchild" in q["sql"])

    assert contact_reads(alone) == len(codes)
    assert contact_reads(shared) == 1


# The pages ----------------------------------------------------------------------------------


@pytest.fixture
def last_month(front_door: Any) -> date:
    first = add_months(month_of(timezone.now()), -1)
    received = london(first.year, first.month, 10, 9)
    front_door.contact(received, front_door.child("NB-POLICE"), source="6")
    return first


@pytest.mark.parametrize(
    "code", ["contacts-from-police", "contacts-leading-to-referral", "consent-recorded"]
)
def test_the_trend_and_drill_down_pages_work_for_an_indicator_without_a_time_limit(
    client, personas, last_month, code
):
    client.force_login(personas["analyst"])
    listing = client.get(reverse("performance:indicators")).content.decode()
    assert reverse("performance:indicator", args=[code]) in listing
    trend = client.get(reverse("performance:indicator", args=[code]))
    assert trend.status_code == 200
    drill = client.get(
        reverse("performance:indicator_month", args=[code, last_month.year, last_month.month])
    )
    assert drill.status_code == 200
    html = drill.content.decode()
    assert "NB-POLICE" in html
    assert "Decision due" not in html
    assert "Due</th>" not in html


def test_a_share_to_watch_says_neither_way_is_better(client, personas, last_month):
    client.force_login(personas["analyst"])
    html = client.get(reverse("performance:indicator", args=["contacts-from-police"])).content
    assert "Neither: a share to watch" in html.decode()


@pytest.mark.parametrize("persona", ["practitioner", "socialworker", "partner", "nobody"])
def test_other_roles_cannot_see_the_new_indicators(client, personas, last_month, persona):
    client.force_login(personas[persona])
    assert (
        client.get(reverse("performance:indicator", args=["consent-recorded"])).status_code == 403
    )
