from __future__ import annotations

import itertools
import re
import threading
from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.utils import timezone

from evident.audit.models import AuditEvent
from evident.audit.services import AuditWriteError
from evident.people.identifiers import nhs_check_digit, upn_check_letter
from evident.people.models import Address, Person, PersonDisability
from evident.people.services import (
    people_search_audited,
    person_access_log_open,
    person_create,
    person_record_open,
)

pytestmark = pytest.mark.django_db


def valid_nhs(first_nine: str) -> str:
    check = nhs_check_digit(first_nine)
    assert check is not None
    return f"{first_nine}{check}"


def valid_upn(body: str = "123456789012") -> str:
    return upn_check_letter(body) + body


GOOD_UPN = valid_upn()
BAD_UPN = ("B" if GOOD_UPN[0] != "B" else "C") + GOOD_UPN[1:]


def create(actor: Any, **overrides: Any) -> Person:
    fields: dict[str, Any] = {
        "first_name": "Jo",
        "last_name": "Smith",
        "date_of_birth": date(2015, 3, 4),
        "sex": "F",
    }
    fields.update(overrides)
    return person_create(actor=actor, **fields)


# -- person_create ----------------------------------------------------------------------------


COUNCIL_ID = re.compile(r"^NB[1-9][0-9]{6}$")


def test_a_new_person_gets_a_council_id_and_one_create_event(personas):
    jo = create(personas["practitioner"])
    assert COUNCIL_ID.match(jo.council_id)
    events = AuditEvent.objects.filter(person=jo)
    assert [(e.action, e.actor_username, e.record_id) for e in events] == [
        ("create", "practitioner", str(jo.pk))
    ]
    assert jo.created_by == personas["practitioner"]


def test_council_ids_are_unique_even_when_the_first_draw_is_taken(personas, make_person):
    make_person(council_id="NB1000000")
    with mock.patch("evident.people.services.secrets.randbelow", side_effect=[0, 0, 1, 2]):
        jo = create(personas["practitioner"])
        sam = create(personas["practitioner"], first_name="Sam")
    assert (jo.council_id, sam.council_id) == ("NB1000001", "NB1000002")


def test_a_given_council_id_is_kept_and_checked(personas, make_person):
    assert create(personas["practitioner"], council_id="LEGACY123").council_id == "LEGACY123"
    with pytest.raises(ValidationError) as caught:
        create(personas["practitioner"], council_id="LEGACY123")
    assert "council_id" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        create(personas["practitioner"], council_id="has spaces!")
    assert "council_id" in caught.value.message_dict


def test_a_clash_on_the_council_id_is_retried_with_another(personas, make_person):
    # Another person takes the drawn ID between our look-up and our insert.
    from evident.people import services

    real = services._next_council_id
    calls = []

    def racing():
        calls.append(1)
        if len(calls) == 1:
            make_person(council_id="NB1234567")
            return "NB1234567"
        return real()

    with mock.patch.object(services, "_next_council_id", side_effect=racing):
        jo = create(personas["practitioner"])
    assert COUNCIL_ID.match(jo.council_id)
    assert jo.council_id != "NB1234567"
    assert len(calls) == 2
    assert Person.objects.count() == 2


def test_the_details_are_stored_normalised(personas):
    upn = valid_upn()
    jo = create(
        personas["practitioner"],
        first_name="  Jo ",
        nhs_number="943 476 5919",
        upn=upn.lower(),
        ethnicity="WBRI",
        gender="female",
        disabilities=["HEAR", "VIS"],
        address_line_1="2 New Street",
        town="Northbridge",
        postcode="nb1 2cd",
    )
    jo.refresh_from_db()
    assert (jo.first_name, jo.nhs_number, jo.upn) == ("Jo", "9434765919", upn)
    assert set(PersonDisability.objects.filter(person=jo).values_list("code", flat=True)) == {
        "HEAR",
        "VIS",
    }
    address = Address.objects.get(person=jo)
    assert (address.line_1, address.town, address.postcode, address.end_date) == (
        "2 New Street",
        "Northbridge",
        "NB1 2CD",
        None,
    )


def test_an_unborn_child_is_recorded_with_an_expected_date(personas):
    due = timezone.localdate() + timedelta(days=60)
    baby = create(
        personas["practitioner"],
        first_name="Baby",
        date_of_birth=None,
        expected_date_of_birth=due,
        sex="U",
    )
    assert baby.is_unborn
    assert baby.age_on(timezone.localdate()) == -1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nhs_number": "9434765918"}, "nhs_number", "NHS number is not valid"),
        ({"nhs_number": "12345"}, "nhs_number", "10 digits"),
        ({"upn": BAD_UPN}, "upn", "check letter"),
        ({"upn": "12345"}, "upn", "13 characters"),
        ({"date_of_birth": date(2099, 1, 1)}, "date_of_birth", "today or in the past"),
        ({"date_of_birth": date(1850, 1, 1)}, "date_of_birth", "after"),
        ({"first_name": " "}, "first_name", "Enter the first name"),
        ({"last_name": ""}, "last_name", "Enter the last name"),
        ({"sex": "X"}, "sex", "Select the sex"),
        ({"gender": "other"}, "gender", "Select the gender"),
        ({"ethnicity": "ZZZZ"}, "ethnicity", "Select the ethnicity"),
        ({"disabilities": ["NOPE"]}, "disabilities", "from the list"),
        ({"disabilities": ["NONE", "VIS"]}, "disabilities", "No disability"),
        ({"postcode": "NB1 2CD"}, "address_line_1", "Enter address line 1"),
        ({"address_line_1": "2 New St"}, "postcode", "Enter the postcode"),
        ({"address_line_1": "2 New St", "postcode": "NOT A CODE"}, "postcode", "real postcode"),
        ({"upn_unknown_reason": "UN9"}, "upn_unknown_reason", "from the list"),
        (
            {"expected_date_of_birth": date(2030, 1, 1)},
            "expected_date_of_birth",
            "not both",
        ),
    ],
)
def test_bad_details_are_refused_field_by_field_and_nothing_is_saved(
    personas, overrides, field, message
):
    with pytest.raises(ValidationError) as caught:
        create(personas["practitioner"], **overrides)
    assert field in caught.value.message_dict
    assert any(message in m for m in caught.value.message_dict[field])
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_an_expected_date_of_birth_in_the_past_is_refused(personas):
    with pytest.raises(ValidationError) as caught:
        create(
            personas["practitioner"],
            date_of_birth=None,
            expected_date_of_birth=timezone.localdate() - timedelta(days=1),
            sex="U",
        )
    assert "expected_date_of_birth" in caught.value.message_dict


def test_an_unborn_childs_sex_must_be_not_known(personas):
    with pytest.raises(ValidationError) as caught:
        create(
            personas["practitioner"],
            date_of_birth=None,
            expected_date_of_birth=timezone.localdate() + timedelta(days=30),
            sex="F",
        )
    assert "sex" in caught.value.message_dict


def test_an_nhs_number_already_on_record_is_refused(personas):
    create(personas["practitioner"], nhs_number="9434765919")
    with pytest.raises(ValidationError) as caught:
        create(personas["practitioner"], first_name="Sam", nhs_number="943 476 5919")
    assert "already recorded" in caught.value.message_dict["nhs_number"][0]
    assert Person.objects.count() == 1


def test_a_upn_with_a_reason_for_no_upn_is_refused(personas):
    with pytest.raises(ValidationError) as caught:
        create(personas["practitioner"], upn=valid_upn(), upn_unknown_reason="UN1")
    assert "upn_unknown_reason" in caught.value.message_dict


def test_every_problem_is_reported_at_once(personas):
    with pytest.raises(ValidationError) as caught:
        create(personas["practitioner"], first_name="", nhs_number="1", sex="?")
    assert {"first_name", "nhs_number", "sex"} <= set(caught.value.message_dict)


def test_nothing_is_saved_when_the_audit_write_fails(personas):
    with (
        mock.patch.object(AuditEvent, "save", side_effect=DatabaseError("disk full")),
        pytest.raises(AuditWriteError),
    ):
        create(personas["practitioner"])
    assert not Person.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent sessions")
def test_people_added_at_the_same_moment_get_different_council_ids(personas):
    actor = personas["practitioner"]
    results: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def add(n: int) -> None:
        try:
            start.wait()
            results.append(create(actor, first_name=f"Child{n}").council_id)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    # Every thread first draws the same ID, so all but one must retry.
    draws = itertools.chain([0, 0, 0, 0], itertools.count(1))
    with mock.patch("evident.people.services.secrets.randbelow", side_effect=lambda _: next(draws)):
        threads = [threading.Thread(target=add, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert next(draws) >= 4  # three threads drew again
    assert len(set(results)) == 4
    assert all(COUNCIL_ID.match(council_id) for council_id in results)


# -- Audited reads ---------------------------------------------------------------------------


def test_a_search_writes_one_search_event_and_a_read_per_person_listed(personas, make_person):
    jo = make_person("Jo", "Smith")
    sam = make_person("Sam", "Smith")
    found = people_search_audited(actor=personas["practitioner"], name="smith", path="/people/")
    assert found.people == [jo, sam]
    assert not found.more
    search = AuditEvent.objects.get(action="search")
    assert search.detail == {"criteria": {"name": "smith"}, "results": 2, "more": False}
    reads = AuditEvent.objects.filter(action="view", section="search results")
    assert {e.person_id for e in reads} == {jo.pk, sam.pk}
    assert reads.count() == 2


def test_a_search_past_the_limit_says_so_and_audits_only_those_shown(personas, make_person):
    for i in range(4):
        make_person(f"Child{i}", "Smith")
    found = people_search_audited(actor=personas["practitioner"], name="smith", limit=3)
    assert len(found.people) == 3
    assert found.more
    assert AuditEvent.objects.filter(action="view").count() == 3


def test_a_search_with_no_results_is_still_recorded(personas):
    found = people_search_audited(actor=personas["practitioner"], nhs_number="9434765919")
    assert found.people == []
    assert AuditEvent.objects.get(action="search").detail["criteria"] == {
        "nhs_number": "9434765919"
    }


def test_opening_a_record_is_audited_once_before_it_is_read(personas, make_person):
    jo = make_person()
    record = person_record_open(actor=personas["socialworker"], person_id=jo.pk, path="/x/")
    assert record.person == jo
    (event,) = AuditEvent.objects.filter(person=jo)
    assert (event.action, event.section, event.actor_username) == ("view", "record", "socialworker")


def test_a_record_out_of_scope_is_not_audited_as_read(personas, make_person):
    from django.http import Http404

    jo = make_person()
    with pytest.raises(Http404):
        person_record_open(actor=personas["analyst"], person_id=jo.pk)
    assert not AuditEvent.objects.filter(person=jo).exists()


def test_the_access_log_lists_newest_first_and_is_itself_audited(personas, make_person):
    jo = make_person()
    person_record_open(actor=personas["practitioner"], person_id=jo.pk)
    log = person_access_log_open(actor=personas["manager"], person_id=jo.pk)
    events = list(log.page.object_list)
    assert [(e.actor_username, e.section) for e in events] == [
        ("manager", "who has viewed"),
        ("practitioner", "record"),
    ]
