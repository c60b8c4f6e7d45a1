"""The LADO's steps, in order and out of it, without HTTP."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from evident.audit.models import AuditEvent
from evident.lado import services
from evident.lado.models import LadoAction, LadoChild, LadoConsideration, LadoMeeting, LadoReferral
from evident.lado.selectors import repeat_concerns, status_label, timeliness
from evident.lado.services import ActionPlanned, Attendee, ChildInvolved
from evident.people.models import Person

pytestmark = pytest.mark.django_db

MET = LadoConsideration.Decision.MET


def _consider_met(referral, actor):
    return services.consideration_record(
        actor=actor,
        referral=referral,
        decision=MET,
        limbs=["harmed_child", "possible_offence"],
        rationale="Physical harm to a pupil; possible assault.",
    )


def _meeting(referral, actor, kind=LadoMeeting.Kind.INITIAL, held_on=None):
    return services.meeting_record(
        actor=actor,
        referral=referral,
        kind=kind,
        held_on=held_on or timezone.localdate(),
        decisions="Police to investigate; the school to suspend pending the outcome.",
        attendees=[Attendee("Sam Patel", "Northtown Police"), Attendee("Dana Head", "Academy")],
        actions=[
            ActionPlanned(LadoAction.Type.POLICE_INVESTIGATION, "DC Patel, Northtown Police"),
            ActionPlanned(LadoAction.Type.SUSPENSION, "Dana Head, head teacher"),
        ],
    )


def test_a_referral_is_numbered_audited_and_names_the_children(personas, record_referral):
    child = Person.objects.create(council_id="C1", first_name="Ava", last_name="Jones")
    referral = record_referral(
        children=[
            ChildInvolved(name="Ava Jones", person_id=child.pk),
            ChildInvolved(name="Leo Smith", date_of_birth=date(2015, 3, 1)),
        ]
    )
    assert referral.reference == f"LADO-{timezone.localdate().year}-00001"
    assert record_referral().reference.endswith("-00002")
    assert LadoChild.objects.filter(referral=referral).count() == 2
    assert referral.adult_last_name_key  # the phonetic key, for repeat concerns
    event = AuditEvent.objects.get(action="create", record_id=str(referral.pk))
    assert event.person is None  # never on the child's who-viewed trail


def test_bad_dates_are_refused_by_field_and_nothing_is_saved(record_referral):
    with pytest.raises(ValidationError) as exc:
        record_referral(
            received_at=timezone.now() + timedelta(days=1),
            adult_date_of_birth=timezone.localdate() + timedelta(days=5),
        )
    assert set(exc.value.message_dict) >= {"received_at", "adult_date_of_birth"}
    assert LadoReferral.objects.count() == 0


def test_steps_out_of_order_are_refused_with_messages(personas, record_referral):
    lado = personas["lado"]
    referral = record_referral()
    with pytest.raises(ValidationError, match="initial consideration before recording a meeting"):
        _meeting(referral, lado)
    with pytest.raises(ValidationError, match="has not been considered"):
        services.outcome_record(
            actor=lado,
            referral=referral,
            outcome="substantiated",
            concluded_on=timezone.localdate(),
            followed_by=["dbs"],
        )
    _consider_met(referral, lado)
    with pytest.raises(ValidationError, match="already been recorded"):
        _consider_met(referral, lado)
    with pytest.raises(ValidationError) as exc:
        _meeting(referral, lado, kind=LadoMeeting.Kind.REVIEW)
    assert "kind" in exc.value.message_dict
    _meeting(referral, lado)
    with pytest.raises(ValidationError) as exc:
        _meeting(referral, lado)
    assert "add a review" in exc.value.message_dict["kind"][0]
    _meeting(referral, lado, kind=LadoMeeting.Kind.REVIEW)
    services.outcome_record(
        actor=lado,
        referral=referral,
        outcome="substantiated",
        concluded_on=timezone.localdate(),
        followed_by=["dismissal", "dbs", "tra"],
    )
    with pytest.raises(ValidationError, match="concluded"):
        _meeting(referral, lado, kind=LadoMeeting.Kind.REVIEW)
    with pytest.raises(ValidationError, match="concluded"):
        services.outcome_record(
            actor=lado,
            referral=referral,
            outcome="false",
            concluded_on=timezone.localdate(),
            followed_by=["nfa"],
        )
    referral.refresh_from_db()
    assert referral.outcome == "substantiated"
    assert referral.followed_by_labels() == [
        "Dismissal",
        "Referral to the DBS",
        "Referral to the Teaching Regulation Agency",
    ]
    assert status_label(referral) == "Concluded"
    assert LadoAction.objects.filter(referral=referral).count() == 4


def test_the_harm_test_needs_limbs_only_when_met(personas, record_referral):
    referral = record_referral()
    with pytest.raises(ValidationError) as exc:
        services.consideration_record(
            actor=personas["lado"], referral=referral, decision=MET, limbs=[], rationale="x"
        )
    assert "limbs" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.consideration_record(
            actor=personas["lado"],
            referral=referral,
            decision="advice",
            limbs=["harmed_child"],
            rationale="",
        )
    assert set(exc.value.message_dict) == {"limbs", "rationale"}
    assert not LadoConsideration.objects.exists()


def test_advice_only_closes_the_record_with_a_review_date(personas, record_referral):
    referral = record_referral()
    services.consideration_record(
        actor=personas["lado"],
        referral=referral,
        decision="advice",
        limbs=[],
        rationale="Poor practice; advice to the employer on the code of conduct.",
    )
    referral.refresh_from_db()
    assert referral.closed_at is not None
    today = timezone.localdate()
    assert referral.review_on == today.replace(year=today.year + 6)
    with pytest.raises(ValidationError, match="harm test was not met"):
        _meeting(referral, personas["lado"])


def test_outcome_sets_the_retention_date_from_the_rule_table(personas, record_referral):
    services.retention_rules_ensure()
    lado = personas["lado"]
    substantiated = record_referral()
    _consider_met(substantiated, lado)
    services.outcome_record(
        actor=lado,
        referral=substantiated,
        outcome="substantiated",
        concluded_on=timezone.localdate(),
        followed_by=["dbs"],
    )
    substantiated.refresh_from_db()
    assert substantiated.review_on == date(2082, 5, 14)  # 100 years from the adult's birth
    malicious = record_referral(adult_first_name="Tom")
    _consider_met(malicious, lado)
    services.outcome_record(
        actor=lado,
        referral=malicious,
        outcome="malicious",
        concluded_on=timezone.localdate(),
        followed_by=["nfa"],
    )
    malicious.refresh_from_db()
    today = timezone.localdate()
    assert malicious.review_on == today.replace(year=today.year + 10)


def test_a_legal_hold_is_recorded_with_who_when_and_why(personas, record_referral):
    referral = record_referral()
    with pytest.raises(ValidationError):
        services.legal_hold_set(actor=personas["lado"], referral=referral, hold=True, reason=" ")
    services.legal_hold_set(
        actor=personas["lado"], referral=referral, hold=True, reason="Public inquiry request"
    )
    referral.refresh_from_db()
    assert referral.legal_hold
    assert referral.legal_hold_by == personas["lado"]
    assert referral.legal_hold_at is not None


def test_no_further_action_stands_alone(personas, record_referral):
    referral = record_referral()
    _consider_met(referral, personas["lado"])
    with pytest.raises(ValidationError) as exc:
        services.outcome_record(
            actor=personas["lado"],
            referral=referral,
            outcome="unfounded",
            concluded_on=timezone.localdate(),
            followed_by=["nfa", "dbs"],
        )
    assert "followed_by" in exc.value.message_dict


def test_timeliness_counts_working_days_and_bands_open_records(personas, record_referral):
    from evident.lado.tests.conftest import at

    # Friday 6 March 2026 10:00: due the next working day, Monday 9 March 10:00.
    referral = record_referral(received_at=at(2026, 3, 6))
    t = timeliness(referral, now=at(2026, 3, 9, 9))
    assert t.due_at == at(2026, 3, 9, 10)
    assert t.rag is not None
    assert t.rag.value == "amber"
    late = timeliness(referral, now=at(2026, 3, 9, 11))
    assert late.rag is not None
    assert late.rag.value == "red"
    assert timeliness(referral, now=at(2026, 4, 7)).open_band == "over 1 month"
    assert timeliness(referral, now=at(2026, 6, 7)).open_band == "over 3 months"
    assert timeliness(referral, now=at(2027, 3, 7)).open_band == "over 12 months"


def test_repeat_concerns_match_nicknames_dob_and_employer_across_years(personas, record_referral):
    from evident.lado.tests.conftest import at

    old = record_referral(
        received_at=at(2019, 2, 1),
        adult_first_name="Bob",
        adult_last_name="Hartly",
        employer="St Mary's Primary",
    )
    same_employer = record_referral(
        received_at=at(2022, 2, 1),
        adult_first_name="Robert",
        adult_last_name="Hartley",
        adult_date_of_birth=None,
        employer="Northtown Academy",
    )
    stranger = record_referral(
        adult_first_name="Alice", adult_last_name="Hartley", adult_date_of_birth=date(1990, 1, 1)
    )
    new = record_referral()
    found = {r.referral.pk: r for r in repeat_concerns(user=personas["lado"], referral=new)}
    assert old.pk in found
    assert "Date of birth matches" in found[old.pk].evidence
    assert any("Bob" in e or "Robert" in e for e in found[old.pk].evidence)
    assert same_employer.pk in found
    assert any("Same employer" in e for e in found[same_employer.pk].evidence)
    assert stranger.pk not in found
    # Nobody without LADO access gets any.
    assert repeat_concerns(user=personas["manager"], referral=new) == []
