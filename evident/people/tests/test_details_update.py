"""Changing a person's details: ``person_details_update`` and its fingerprint check."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from evident.audit.models import AuditEvent
from evident.people.models import Person, PersonDisability
from evident.people.services import (
    DETAILS_CHANGED_MESSAGE,
    person_details_fingerprint,
    person_details_update,
)

pytestmark = pytest.mark.django_db


def current(person: Person) -> dict[str, Any]:
    """The person's details as the change form would send them back, unchanged."""
    return {
        "expected": person_details_fingerprint(person),
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth,
        "expected_date_of_birth": person.expected_date_of_birth,
        "sex": person.sex,
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "nhs_number": person.nhs_number,
        "upn": person.upn,
        "upn_unknown_reason": person.upn_unknown_reason,
        "disabilities": list(person.disabilities.values_list("code", flat=True)),
    }


def update(actor: Any, person: Person, **changes: Any) -> Person:
    return person_details_update(actor=actor, person=person, **{**current(person), **changes})


def updates() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE))


def test_changing_details_saves_them_and_audits_the_field_names(personas, make_person):
    jo = make_person(sex="F", ethnicity="NOBT")
    PersonDisability.objects.create(person=jo, code="MOB")
    saved = update(
        personas["practitioner"],
        jo,
        ethnicity="WBRI",
        upn_unknown_reason="UN1",
        disabilities=["COMM", "HAND"],
    )
    jo.refresh_from_db()
    assert (jo.ethnicity, jo.upn_unknown_reason) == ("WBRI", "UN1")
    assert sorted(jo.disabilities.values_list("code", flat=True)) == ["COMM", "HAND"]
    assert saved.pk == jo.pk
    [event] = updates()
    assert event.person_id == jo.pk
    assert event.actor_id == personas["practitioner"].pk
    assert event.detail["changed"] == ["ethnicity", "upn_unknown_reason", "disabilities"]
    # Names of fields, never the values.
    assert "WBRI" not in str(event.detail)
    assert "COMM" not in str(event.detail)


def test_names_are_trimmed_and_identifiers_normalised(personas, make_person):
    jo = make_person()
    update(personas["practitioner"], jo, first_name="  Joanna ", nhs_number="943 476 5919")
    jo.refresh_from_db()
    assert (jo.first_name, jo.nhs_number) == ("Joanna", "9434765919")
    assert updates()[0].detail["changed"] == ["first_name", "nhs_number"]
    # The phonetic key follows the new name (Person.save keeps it with update_fields).
    assert Person.objects.filter(pk=jo.pk, first_name_key="JN").exists()


def test_an_nhs_number_of_another_person_is_refused(personas, make_person):
    make_person("Sam", "Other", nhs_number="9434765919")
    jo = make_person()
    with pytest.raises(ValidationError) as caught:
        update(personas["practitioner"], jo, nhs_number="9434765919")
    assert (
        "Another person is recorded with this NHS number"
        in caught.value.message_dict["nhs_number"][0]
    )
    jo.refresh_from_db()
    assert jo.nhs_number == ""
    assert updates() == []


def test_the_persons_own_nhs_number_is_no_clash(personas, make_person):
    jo = make_person(nhs_number="9434765919")
    update(personas["practitioner"], jo, nhs_number="943 476 5919", last_name="Smyth")
    jo.refresh_from_db()
    assert (jo.nhs_number, jo.last_name) == ("9434765919", "Smyth")
    assert updates()[0].detail["changed"] == ["last_name"]


def test_no_disability_alongside_other_codes_is_refused(personas, make_person):
    jo = make_person()
    PersonDisability.objects.create(person=jo, code="MOB")
    with pytest.raises(ValidationError) as caught:
        update(personas["practitioner"], jo, disabilities=["NONE", "MOB"])
    assert "disabilities" in caught.value.message_dict
    assert list(jo.disabilities.values_list("code", flat=True)) == ["MOB"]
    assert updates() == []


def test_a_bad_upn_is_refused(personas, make_person):
    jo = make_person()
    with pytest.raises(ValidationError) as caught:
        update(personas["practitioner"], jo, upn="A12345678901Z")
    assert "upn" in caught.value.message_dict
    assert Person.objects.get(pk=jo.pk).upn == ""


def test_a_save_from_a_stale_page_is_refused_and_changes_nothing(personas, make_person):
    jo = make_person(ethnicity="NOBT")
    shown = current(jo)
    # Someone else saves first.
    update(personas["socialworker"], jo, ethnicity="WIRI")
    with pytest.raises(ValidationError) as caught:
        person_details_update(
            actor=personas["practitioner"], person=jo, **{**shown, "ethnicity": "WBRI"}
        )
    assert caught.value.messages == [DETAILS_CHANGED_MESSAGE]
    jo.refresh_from_db()
    assert jo.ethnicity == "WIRI"
    assert [e.actor_id for e in updates()] == [personas["socialworker"].pk]


def test_a_change_of_disabilities_alone_makes_the_page_stale(personas, make_person):
    jo = make_person()
    before = person_details_fingerprint(jo)
    PersonDisability.objects.create(person=jo, code="MOB")
    assert person_details_fingerprint(jo) != before


def test_a_merged_away_person_is_refused(personas, make_person):
    kept = make_person("Ruby", "Hart")
    away = make_person("Rubie", "Hart", merged_into=kept)
    with pytest.raises(ValidationError) as caught:
        update(personas["manager"], away, first_name="Ruby")
    assert "merged into another" in caught.value.messages[0]
    assert Person.objects.get(pk=away.pk).first_name == "Rubie"
    assert updates() == []


def test_saving_with_no_change_saves_and_audits_nothing(personas, make_person):
    jo = make_person(upn_unknown_reason="UN1")
    PersonDisability.objects.create(person=jo, code="MOB")
    result = update(personas["practitioner"], jo, first_name=" Jo ")
    assert result.pk == jo.pk
    assert updates() == []


def test_an_unborn_child_born_gets_a_date_of_birth(personas, make_person):
    from django.utils import timezone

    today = timezone.localdate()
    baby = make_person("Baby", "Hart", date_of_birth=None, expected_date_of_birth=today, sex="U")
    update(
        personas["practitioner"],
        baby,
        date_of_birth=today,
        expected_date_of_birth=None,
        sex="M",
    )
    baby.refresh_from_db()
    assert (baby.date_of_birth, baby.expected_date_of_birth, baby.sex) == (today, None, "M")
    assert updates()[0].detail["changed"] == ["date_of_birth", "expected_date_of_birth", "sex"]


def test_the_same_rules_as_adding_apply(personas, make_person):
    jo = make_person()
    with pytest.raises(ValidationError) as caught:
        update(personas["practitioner"], jo, date_of_birth=date(1890, 1, 1), first_name="")
    assert set(caught.value.message_dict) == {"date_of_birth", "first_name"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent sessions")
def test_of_two_saves_from_the_same_page_only_the_first_goes_through(personas, make_person):
    jo = make_person(ethnicity="NOBT")
    shown = current(jo)
    start = threading.Barrier(2)
    saved: list[str] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def save(actor: Any, ethnicity: str) -> None:
        try:
            start.wait()
            person_details_update(actor=actor, person=jo, **{**shown, "ethnicity": ethnicity})
            saved.append(ethnicity)
        except ValidationError as exc:
            refused.extend(exc.messages)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(personas["practitioner"], "WBRI")),
        threading.Thread(target=save, args=(personas["socialworker"], "WIRI")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert refused == [DETAILS_CHANGED_MESSAGE]
    assert len(saved) == 1
    assert Person.objects.get(pk=jo.pk).ethnicity == saved[0]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).count() == 1
