"""Merging duplicate person records and undoing it (``evident.people.merging``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from evident.accounts.models import Team
from evident.accounts.services import team_get_or_create
from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.casework.models import Episode
from evident.core.codes import ReferralSource
from evident.front_door import services as front_door
from evident.front_door.models import Contact, ContactChild, Decision, EarlyHelpEpisode
from evident.front_door.services_mash import front_door_defaults_ensure
from evident.people import merging
from evident.people.matching import MatchQuery, people_matching
from evident.people.models import (
    Household,
    HouseholdMember,
    Person,
    PersonAlias,
    PersonDisability,
    PersonMerge,
    Relationship,
)
from evident.people.selectors import people_search

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, set[tuple[Any, Any]]]:
    """Every (row id, person id) for every foreign key to Person, audit trail included."""
    found: dict[str, set[tuple[Any, Any]]] = {}
    for fk in [*merging.person_foreign_keys(), AuditEvent._meta.get_field("person")]:
        key = f"{fk.model._meta.label_lower}.{fk.name}"
        found[key] = set(fk.model._base_manager.values_list("pk", fk.attname))
    found["people.person.merged_into"] = set(Person.objects.values_list("pk", "merged_into_id"))
    return found


@pytest.fixture
def twins(personas, make_person):
    """One child recorded twice (Ruby Hart, and 'Rubie Hart' with the NHS number), with
    contacts, a referral, early help, family, a household and audit rows on both."""
    front_door_defaults_ensure()
    team_get_or_create(name="Duty and Assessment", kind=Team.Kind.DUTY_ASSESSMENT)
    kept = make_person("Ruby", "Hart", postcode="NE1 4XF", aliases=(("Ruby", "Smith"),))
    away = make_person(
        "Rubie",
        "Hart",
        nhs_number="9434765919",
        upn="A123456789012",
        postcode="NE2 1AA",
        aliases=(("Rubes", "Hart"),),
    )
    mother = make_person("Ann", "Hart", date_of_birth=date(1990, 1, 1))
    brother = make_person("Leo", "Hart", date_of_birth=date(2017, 1, 1))
    Relationship.objects.create(person=mother, other=away, kind=Relationship.Kind.PARENT)
    Relationship.objects.create(person=away, other=brother, kind=Relationship.Kind.SIBLING)
    # A tie between the two records themselves (recorded as siblings by mistake).
    Relationship.objects.create(person=kept, other=away, kind=Relationship.Kind.SIBLING)
    PersonDisability.objects.create(person=kept, code="LD")
    PersonDisability.objects.create(person=away, code="LD")  # the same on both: stays
    PersonDisability.objects.create(person=away, code="VIS")
    home = Household.objects.create(name="Hart household")
    HouseholdMember.objects.create(household=home, person=kept, start_date=date(2020, 1, 1))
    HouseholdMember.objects.create(household=home, person=away, start_date=date(2020, 1, 1))
    HouseholdMember.objects.create(household=home, person=away, start_date=date(2023, 5, 1))
    now = timezone.now()
    contact = front_door.contact_record(
        actor=personas["practitioner"],
        received_at=now - timedelta(hours=2),
        source=ReferralSource.POLICE,
        concern="Police attended a domestic incident.",
        consent=Contact.Consent.GIVEN,
        children=[away.pk, brother.pk],
        referrer_email="officer@police.example",
    )
    rows = {row.person_id: row.pk for row in contact.children.all()}
    front_door.contact_decide(
        actor=personas["practitioner"],
        contact=contact,
        decisions={
            rows[away.pk]: (Decision.Outcome.REFERRAL, "Needs assessment"),
            rows[brother.pk]: (Decision.Outcome.EARLY_HELP, "Family support"),
        },
    )
    front_door.contact_authorise(actor=personas["manager"], contact=contact)
    second = front_door.contact_record(
        actor=personas["practitioner"],
        received_at=now - timedelta(hours=1),
        source=ReferralSource.SCHOOLS,
        concern="School worried about attendance.",
        consent=Contact.Consent.GIVEN,
        children=[away.pk],
        referrer_email="head@school.example",
    )
    row = second.children.get()
    front_door.contact_decide(
        actor=personas["practitioner"],
        contact=second,
        decisions={row.pk: (Decision.Outcome.EARLY_HELP, "Attendance support")},
    )
    front_door.contact_authorise(actor=personas["manager"], contact=second)
    audit_record(
        actor=personas["socialworker"],
        action=AuditEvent.Action.VIEW,
        record=away,
        person=away,
        section="record",
    )
    return kept, away, {"mother": mother, "brother": brother, "home": home}


def merge(personas, kept, away, reason="Same child: same NHS number on school records"):
    return merging.people_merge(
        actor=personas["manager"], keep=kept, merge_away=away, reason=reason
    )


def test_a_merge_moves_every_record_to_the_kept_person(personas, twins):
    kept, away, family = twins
    assert Episode.objects.filter(person=away).count() == 1
    assert EarlyHelpEpisode.objects.filter(person=away).count() == 1

    done = merge(personas, kept, away)

    assert ContactChild.objects.filter(person=away).count() == 0
    assert ContactChild.objects.filter(person=kept).count() == 2
    assert Episode.objects.filter(person=kept).count() == 1
    assert EarlyHelpEpisode.objects.filter(person=kept).count() == 1
    # The duplicate's aliases, and its own name as another name of the kept person.
    assert set(PersonAlias.objects.filter(person=kept).values_list("first_name", "last_name")) == {
        ("Ruby", "Smith"),
        ("Rubes", "Hart"),
        ("Rubie", "Hart"),
    }
    assert done.added_alias["first_name"] == "Rubie"
    assert set(kept.addresses.values_list("postcode", flat=True)) == {"NE1 4XF", "NE2 1AA"}
    assert Relationship.objects.filter(person=family["mother"], other=kept).exists()
    assert Relationship.objects.filter(person=kept, other=family["brother"]).exists()
    assert set(kept.disabilities.values_list("code", flat=True)) == {"LD", "VIS"}
    assert kept.household_memberships.count() == 2
    away.refresh_from_db()
    assert away.merged_into == kept
    # 2 contacts, a referral, early help, an alias, an address, 2 relationships, a
    # disability and a household stay.
    assert done.moved_count() == 10
    moved = {(e["model"], e["field"]): e for e in done.moved}
    assert len(moved[("front_door.contactchild", "person")]["moved"]) == 2
    assert moved[("front_door.contactchild", "person")]["table"] == "front_door_contactchild"


def test_rows_that_would_clash_stay_with_the_merged_away_record_and_are_listed(personas, twins):
    kept, away, _ = twins
    done = merge(personas, kept, away)
    kept_back = {(e["model"], e["field"]): e["kept_back"] for e in done.moved}
    # The disability both records have, and the household stay with the same start date.
    assert PersonDisability.objects.filter(person=away, code="LD").exists()
    assert len(kept_back[("people.persondisability", "person")]) == 1
    assert HouseholdMember.objects.filter(person=away, start_date=date(2020, 1, 1)).exists()
    assert len(kept_back[("people.householdmember", "person")]) == 1
    # The tie between the two records would become a tie to itself: it stays as it was.
    tie = Relationship.objects.get(person=kept, other=away)
    assert tie.other_id == away.pk
    assert len(kept_back[("people.relationship", "other")]) == 1
    assert "itself" in kept_back[("people.relationship", "other")][0]["reason"]
    assert done.kept_back_count() == 3


def test_the_audit_trail_keeps_the_person_it_was_written_about(personas, twins):
    kept, away, _ = twins
    before = set(AuditEvent.objects.filter(person=away).values_list("pk", flat=True))
    assert before
    done = merge(personas, kept, away)
    after = set(AuditEvent.objects.filter(person=away).values_list("pk", flat=True))
    assert before <= after  # nothing moved off the merged-away person
    for person, role in ((kept, "kept"), (away, "merged away")):
        event = AuditEvent.objects.get(person=person, section="merge")
        assert event.action == AuditEvent.Action.UPDATE
        assert event.record_type == "people.personmerge"
        assert event.record_id == str(done.pk)
        assert event.detail["this record"] == role
        assert event.detail["summary"]["front_door.contactchild.person"] == {
            "moved": 2,
            "kept_back": 0,
        }


def test_undoing_a_merge_restores_exactly_the_state_before(personas, twins):
    kept, away, _ = twins
    before = snapshot()
    done = merge(personas, kept, away)
    assert snapshot() != before
    merging.person_merge_reverse(
        actor=personas["manager"], merge=done, reason="Twins, not one child"
    )
    after = snapshot()
    audit_key = "audit.auditevent.person"
    # The audit trail only grows (the merge and undo events); every other key is as it was.
    assert before[audit_key] <= after[audit_key]
    del before[audit_key], after[audit_key]
    assert after == before
    done.refresh_from_db()
    assert done.is_reversed
    assert done.reversed_by == personas["manager"]
    assert done.reversal_reason == "Twins, not one child"
    assert done.reversal_left == []
    for person in (kept, away):
        assert AuditEvent.objects.filter(person=person, section="merge undone").count() == 1


def test_rows_added_to_the_kept_record_after_the_merge_stay_there(personas, twins):
    kept, away, _ = twins
    done = merge(personas, kept, away)
    added = PersonAlias.objects.create(person=kept, first_name="Roo", last_name="Hart")
    merging.person_merge_reverse(actor=personas["manager"], merge=done, reason="Wrong merge")
    added.refresh_from_db()
    assert added.person_id == kept.pk


def test_a_moved_row_changed_since_the_merge_is_left_and_listed(personas, twins):
    kept, away, family = twins
    done = merge(personas, kept, away)
    alias = PersonAlias.objects.get(first_name="Rubes")
    alias.person = family["mother"]
    alias.save()
    merging.person_merge_reverse(actor=personas["manager"], merge=done, reason="Wrong merge")
    alias.refresh_from_db()
    assert alias.person_id == family["mother"].pk
    done.refresh_from_db()
    assert [(e["model"], e["ids"]) for e in done.reversal_left] == [
        ("people.personalias", [alias.pk])
    ]


def test_merging_a_record_into_itself_is_refused(personas, twins):
    kept, _, _ = twins
    with pytest.raises(ValidationError, match="cannot be merged into itself"):
        merge(personas, kept, kept)


def test_a_second_merge_of_the_same_record_is_refused(personas, twins, make_person):
    kept, away, _ = twins
    merge(personas, kept, away)
    third = make_person("Ruby", "Hart")
    with pytest.raises(ValidationError, match="already been merged"):
        merge(personas, third, Person.objects.get(pk=away.pk))
    # Even with a stale copy of the record read before the first merge.
    stale = Person.objects.get(pk=away.pk)
    stale.merged_into = None
    with pytest.raises(ValidationError, match="already been merged"):
        merge(personas, third, stale)
    assert PersonMerge.objects.count() == 1


def test_merging_into_a_merged_away_record_is_refused(personas, twins, make_person):
    kept, away, _ = twins
    merge(personas, kept, away)
    third = make_person("Ruby", "Hart")
    with pytest.raises(ValidationError, match="has itself been merged"):
        merge(personas, away, third)


def test_a_merge_needs_a_reason_and_a_team_manager(personas, twins):
    kept, away, _ = twins
    with pytest.raises(ValidationError) as refused:
        merge(personas, kept, away, reason="  ")
    assert refused.value.message_dict == {"reason": ["Enter the reason"]}
    for role in ("practitioner", "socialworker", "analyst"):
        with pytest.raises(PermissionDenied):
            merging.people_merge(actor=personas[role], keep=kept, merge_away=away, reason="x")
    assert PersonMerge.objects.count() == 0
    assert ContactChild.objects.filter(person=away).count() == 2


def test_undoing_twice_is_refused(personas, twins):
    kept, away, _ = twins
    done = merge(personas, kept, away)
    merging.person_merge_reverse(actor=personas["manager"], merge=done, reason="Wrong")
    with pytest.raises(ValidationError, match="already undone"):
        merging.person_merge_reverse(actor=personas["manager"], merge=done, reason="Again")


def test_undoing_waits_for_a_later_merge_of_the_kept_record(personas, twins, make_person):
    kept, away, _ = twins
    first = merge(personas, kept, away)
    third = make_person("Ruby", "Hart")
    merge(personas, third, Person.objects.get(pk=kept.pk))
    with pytest.raises(ValidationError, match="Undo that merge first"):
        merging.person_merge_reverse(actor=personas["manager"], merge=first, reason="Wrong")


def test_merged_people_leave_search_and_matching(personas, twins):
    kept, away, _ = twins
    user = personas["practitioner"]
    assert away in people_search(user=user, name="hart")
    assert away in [
        m.person
        for m in people_matching(
            user=user, query=MatchQuery(name="Rubie Hart", nhs_number="9434765919")
        )
    ]
    merge(personas, kept, away)
    assert away not in people_search(user=user, name="hart")
    assert kept in people_search(user=user, name="hart")
    # The duplicate's name finds the kept record (it became one of its other names).
    assert people_search(user=user, name="rubie hart") == [kept]
    assert people_search(user=user, nhs_number="9434765919") == []
    matches = people_matching(
        user=user, query=MatchQuery(name="Rubie Hart", nhs_number="9434765919")
    )
    assert away not in [m.person for m in matches]
    assert kept in [m.person for m in matches]


def test_every_foreign_key_to_a_person_is_found(db):
    keys = {merging.relation_key(fk) for fk in merging.person_foreign_keys()}
    assert {
        "people.personalias.person",
        "people.persondisability.person",
        "people.address.person",
        "people.relationship.person",
        "people.relationship.other",
        "people.householdmember.person",
        "front_door.contactchild.person",
        "front_door.submittedchild.person",  # a hidden relation (related_name="+")
        "front_door.earlyhelpepisode.person",
        "casework.episode.person",
    } <= keys
    assert "audit.auditevent.person" not in keys
    assert "people.person.merged_into" not in keys
    assert not any(k.startswith("people.personmerge.") for k in keys)


def test_the_preview_counts_what_would_move_and_flags_identifiers(personas, twins):
    kept, away, _ = twins
    preview = merging.person_merge_preview(
        actor=personas["manager"], kept_id=kept.pk, merged_away_id=away.pk
    )
    assert preview.problem == ""
    counts = {r.label: (len(r.moved), len(r.kept_back)) for r in preview.relations}
    assert counts["Contacts at the front door"] == (2, 0)
    assert counts["Disabilities"] == (1, 1)
    flagged = {row.label: row.status for row in preview.conflicts}
    assert flagged == {
        "Name": "differs",
        "NHS number": "missing",
        "Unique pupil number (UPN)": "missing",
    }
    assert PersonMerge.objects.count() == 0
    # Nothing is copied: the kept record still has no NHS number after the merge.
    merge(personas, kept, away)
    kept.refresh_from_db()
    assert kept.nhs_number == ""


def test_a_contact_cannot_be_recorded_against_a_merged_away_record(personas, twins):
    kept, away, _ = twins
    merge(personas, kept, away)
    with pytest.raises(ValidationError) as refused:
        front_door.contact_record(
            actor=personas["practitioner"],
            received_at=timezone.now() - timedelta(minutes=5),
            source=ReferralSource.SCHOOLS,
            concern="A draft started before the merge.",
            consent=Contact.Consent.GIVEN,
            children=[away.pk],
            referrer_email="head@school.example",
        )
    assert "could not be found" in refused.value.message_dict["children"][0]


def test_no_name_is_added_when_the_kept_record_already_has_it(personas, make_person):
    kept = make_person("Ruby", "Hart", aliases=(("Rubie", "Hart"),))
    away = make_person("rubie", "HART")
    done = merge(personas, kept, away)
    assert done.added_alias == {}
    assert kept.aliases.count() == 1
    merging.person_merge_reverse(actor=personas["manager"], merge=done, reason="Wrong")
    assert kept.aliases.count() == 1


def test_undoing_leaves_the_added_name_if_it_was_changed_since(personas, make_person):
    kept = make_person("Ruby", "Hart")
    away = make_person("Rubie", "Hart")
    done = merge(personas, kept, away)
    alias = PersonAlias.objects.get(pk=done.added_alias["id"])
    alias.first_name = "Roo"
    alias.save()
    merging.person_merge_reverse(actor=personas["manager"], merge=done, reason="Wrong")
    assert PersonAlias.objects.filter(pk=alias.pk, person=kept).exists()
    done.refresh_from_db()
    assert "changed or removed" in done.reversal_left[0]["reason"]
