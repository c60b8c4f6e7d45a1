from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evident.audit.models import AuditEvent
from evident.front_door import services
from evident.front_door.models import Contact, ContactChild, Decision
from evident.front_door.tests.conftest import MONDAY_10AM, MONDAY_NOON, london, new_child_data
from evident.people.models import Person

NFA = Decision.Outcome.NO_FURTHER_ACTION
EARLY_HELP = Decision.Outcome.EARLY_HELP


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Contact.objects.count(),
        ContactChild.objects.count(),
        Person.objects.count(),
        Decision.objects.count(),
        AuditEvent.objects.count(),
    )


# Recording a contact ----------------------------------------------------------------------


def test_contact_reference_is_the_year_and_a_six_digit_sequence(make_contact, two_children):
    first = make_contact(two_children[:1])
    second = make_contact(two_children[1:])
    assert re.fullmatch(r"C-2026-\d{6}", first.reference)
    assert first.reference == "C-2026-000001"
    assert second.reference == "C-2026-000002"


def test_contact_reference_follows_the_highest_of_the_year_and_restarts_each_year(
    make_contact, make_child
):
    Contact.objects.create(
        reference="C-2026-000041",
        received_at=MONDAY_10AM,
        source="6",
        concern="Written by another route",
        consent="given",
        recorded_at=MONDAY_10AM,
    )
    # Not in the pattern, so not counted.
    Contact.objects.create(
        reference="IMPORT-9",
        received_at=MONDAY_10AM,
        source="6",
        concern="Imported",
        consent="given",
        recorded_at=MONDAY_10AM,
    )
    assert make_contact([make_child()]).reference == "C-2026-000042"
    new_year = london(2027, 1, 4, 9, 0)
    assert make_contact([make_child()], received_at=new_year).reference == "C-2027-000001"


def test_recording_a_contact_saves_each_child_and_audits_each(make_contact, two_children, personas):
    contact = make_contact(
        two_children, referrer_name="PC Jane Doe", referrer_organisation="Police"
    )
    rows = list(contact.children.order_by("id"))
    assert [row.person for row in rows] == two_children
    assert contact.recorded_by == personas["practitioner"]
    assert contact.closed_at is None
    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, record_type="front_door.contactchild"
    )
    assert {(e.person_id, e.record_id) for e in events} == {(r.person_id, str(r.pk)) for r in rows}
    assert all(e.detail["contact"] == contact.reference for e in events)


def test_a_new_child_is_created_with_the_contact_in_the_same_transaction(
    make_contact, two_children
):
    contact = make_contact([two_children[0], new_child_data()])
    new = Person.objects.get(first_name="Casey", last_name="Jones")
    assert list(contact.children.order_by("id").values_list("person", flat=True)) == [
        two_children[0].pk,
        new.pk,
    ]
    # person_create audits the new record; the contact audits the child's row on it.
    assert AuditEvent.objects.filter(
        person=new, record_type="people.person", action="create"
    ).exists()
    assert AuditEvent.objects.filter(person=new, record_type="front_door.contactchild").exists()


def test_a_contact_with_no_child_is_refused_and_nothing_is_saved(make_contact):
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        make_contact([])
    assert refused.value.message_dict["children"] == [services.NO_CHILD_MESSAGE]
    assert _counts() == before


def test_an_invalid_new_child_saves_nothing_at_all(make_contact, two_children):
    before = _counts()
    with pytest.raises(ValidationError):
        # The valid child and the contact would be written first: all must roll back.
        make_contact([two_children[0], new_child_data(first_name="", sex="X")])
    assert _counts() == before


def test_the_same_child_twice_is_refused(make_contact, two_children):
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        make_contact([two_children[0], two_children[0]])
    assert refused.value.message_dict["children"] == [services.SAME_CHILD_TWICE_MESSAGE]
    assert _counts() == before


def test_an_unknown_child_is_refused(make_contact):
    import uuid

    with pytest.raises(ValidationError) as refused:
        make_contact([uuid.uuid4()])
    assert "could not be found" in refused.value.message_dict["children"][0]
    assert Contact.objects.count() == 0


def test_a_contact_received_in_the_future_is_refused(make_contact, two_children):
    with pytest.raises(ValidationError) as refused:
        make_contact(two_children, received_at=MONDAY_NOON, now=MONDAY_10AM)
    assert "received_at" in refused.value.message_dict


def test_consent_dispensed_with_needs_a_reason(make_contact, two_children):
    with pytest.raises(ValidationError) as refused:
        make_contact(two_children, consent=Contact.Consent.DISPENSED, consent_reason="  ")
    assert refused.value.message_dict["consent_reason"] == ["Enter why consent was dispensed with"]
    contact = make_contact(
        two_children, consent=Contact.Consent.DISPENSED, consent_reason="Risk of harm if told"
    )
    assert contact.consent_reason == "Risk of harm if told"


def test_only_front_door_staff_record_contacts(make_contact, two_children, personas):
    with pytest.raises(PermissionDenied):
        make_contact(two_children, actor=personas["socialworker"])


# Decisions --------------------------------------------------------------------------------


def _decide_all(
    contact: Contact,
    actor: Any,
    outcome: str = NFA,
    rationale: str = "No role for children's social care",
) -> list[Decision]:
    return services.contact_decide(
        actor=actor,
        contact=contact,
        decisions={row.pk: (outcome, rationale) for row in contact.children.all()},
        now=MONDAY_NOON,
    )


def test_siblings_can_have_different_decisions_and_each_is_audited(
    make_contact, two_children, personas
):
    contact = make_contact(two_children)
    first, second = contact.children.order_by("id")
    services.contact_decide(
        actor=personas["practitioner"],
        contact=contact,
        decisions={first.pk: (NFA, "Safe at home"), second.pk: (EARLY_HELP, "Needs support")},
        now=MONDAY_NOON,
    )
    assert Decision.objects.get(contact_child=first).outcome == NFA
    assert Decision.objects.get(contact_child=second).outcome == EARLY_HELP
    assert set(Decision.objects.values_list("status", flat=True)) == {Decision.Status.PROPOSED}
    events = AuditEvent.objects.filter(record_type="front_door.decision")
    assert {e.person_id for e in events} == {p.pk for p in two_children}


def test_every_child_needs_a_decision_with_a_rationale(make_contact, two_children, personas):
    contact = make_contact(two_children)
    first, _second = contact.children.order_by("id")
    with pytest.raises(ValidationError) as refused:
        services.contact_decide(
            actor=personas["practitioner"], contact=contact, decisions={first.pk: (NFA, " ")}
        )
    assert "Record a decision for Billie Smith" in refused.value.messages
    assert "Enter the rationale for the decision about Alex Smith" in refused.value.messages
    assert Decision.objects.count() == 0


def test_a_manager_cannot_authorise_a_decision_they_proposed(make_contact, two_children, personas):
    contact = make_contact(two_children)
    _decide_all(contact, personas["manager"])
    with pytest.raises(ValidationError, match="another manager must authorise"):
        services.contact_authorise(actor=personas["manager"], contact=contact)
    assert not Decision.objects.filter(status=Decision.Status.AUTHORISED).exists()


def test_only_team_managers_authorise(make_contact, two_children, personas):
    contact = make_contact(two_children)
    _decide_all(contact, personas["practitioner"])
    with pytest.raises(PermissionDenied):
        services.contact_authorise(actor=personas["practitioner"], contact=contact)


def test_authorising_every_decision_closes_the_contact(make_contact, two_children, personas):
    contact = make_contact(two_children)
    _decide_all(contact, personas["practitioner"])
    at = MONDAY_NOON + timedelta(hours=1)
    services.contact_authorise(actor=personas["manager"], contact=contact, comment="Agreed", now=at)
    contact.refresh_from_db()
    assert contact.closed_at == at
    decisions = Decision.objects.all()
    assert {d.status for d in decisions} == {Decision.Status.AUTHORISED}
    assert {d.authorised_by for d in decisions} == {personas["manager"]}
    assert {d.manager_comment for d in decisions} == {"Agreed"}
    assert (
        AuditEvent.objects.filter(
            section="front_door.authorisation", actor=personas["manager"]
        ).count()
        == 2
    )


def test_a_contact_stays_open_while_a_child_has_no_decision(make_contact, two_children, personas):
    contact = make_contact(two_children)
    first, second = contact.children.order_by("id")
    # Another route may have written a decision for one child only.
    Decision.objects.create(
        contact_child=first,
        outcome=NFA,
        rationale="Safe",
        decided_by=personas["practitioner"],
        decided_at=MONDAY_NOON,
    )
    services.contact_authorise(actor=personas["manager"], contact=contact)
    contact.refresh_from_db()
    assert contact.closed_at is None
    assert not Decision.objects.filter(contact_child=second).exists()


def test_returning_needs_a_comment(make_contact, two_children, personas):
    contact = make_contact(two_children)
    _decide_all(contact, personas["practitioner"])
    with pytest.raises(ValidationError) as refused:
        services.contact_return(actor=personas["manager"], contact=contact, comment="")
    assert refused.value.message_dict["comment"] == [
        "Enter a comment to say what more work is needed"
    ]


def test_a_returned_decision_can_be_proposed_again(make_contact, two_children, personas):
    contact = make_contact(two_children)
    _decide_all(contact, personas["practitioner"])
    services.contact_return(
        actor=personas["manager"], contact=contact, comment="Check with the school first"
    )
    assert set(Decision.objects.values_list("status", flat=True)) == {Decision.Status.RETURNED}
    assert set(Decision.objects.values_list("manager_comment", flat=True)) == {
        "Check with the school first"
    }

    _decide_all(contact, personas["practitioner"], outcome=EARLY_HELP, rationale="School agrees")
    decisions = Decision.objects.all()
    assert {(d.status, d.outcome, d.manager_comment) for d in decisions} == {
        (Decision.Status.PROPOSED, EARLY_HELP, "")
    }
    # The earlier proposal and the manager's comment stay in the audit trail.
    update = AuditEvent.objects.filter(
        section="front_door.decision", action=AuditEvent.Action.UPDATE
    ).first()
    assert update is not None
    assert update.detail["previous"] == {
        "status": "returned",
        "outcome": "nfa",
        "manager_comment": "Check with the school first",
    }
    services.contact_authorise(actor=personas["manager"], contact=contact)
    contact.refresh_from_db()
    assert contact.closed_at is not None


def test_an_authorised_decision_cannot_change(make_contact, two_children, personas):
    contact = make_contact(two_children)
    _decide_all(contact, personas["practitioner"])
    services.contact_authorise(actor=personas["manager"], contact=contact)
    with pytest.raises(ValidationError, match="has been authorised and cannot change"):
        _decide_all(contact, personas["practitioner"], outcome=EARLY_HELP)
    assert set(Decision.objects.values_list("outcome", flat=True)) == {NFA}


def test_nothing_to_authorise_is_refused(make_contact, two_children, personas):
    contact = make_contact(two_children)
    with pytest.raises(ValidationError, match="no decisions awaiting authorisation"):
        services.contact_authorise(actor=personas["manager"], contact=contact)
