from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from django.http import Http404

from evident.people.models import Address, Person
from evident.people.selectors import (
    current_address_of,
    people_search,
    people_visible_to,
    person_get_for_user,
)

pytestmark = pytest.mark.django_db


# -- Scope ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["practitioner", "socialworker", "manager"])
def test_casework_staff_see_every_person_of_the_council(personas, make_person, role):
    jo = make_person()
    sam = make_person("Sam", "Jones")
    assert set(people_visible_to(personas[role])) == {jo, sam}


@pytest.mark.parametrize("role", ["partner", "lado", "analyst", "leader", "admin", "nobody"])
def test_other_roles_see_no_one_through_the_people_scope(personas, make_person, role):
    make_person()
    assert not people_visible_to(personas[role]).exists()


def test_signed_out_and_inactive_users_see_no_one(personas, make_person):
    from django.contrib.auth.models import AnonymousUser

    make_person()
    assert not people_visible_to(AnonymousUser()).exists()
    practitioner = personas["practitioner"]
    practitioner.is_active = False
    assert not people_visible_to(practitioner).exists()


def test_a_partner_given_a_casework_role_still_sees_no_one(make_user, make_person):
    from evident.accounts.roles import Role

    make_person()
    intruder = make_user("intruder", Role.SOCIAL_WORKER, partner=True)
    assert not people_visible_to(intruder).exists()


def test_person_get_for_user_finds_a_person_in_scope(personas, make_person):
    jo = make_person()
    assert person_get_for_user(user=personas["practitioner"], person_id=str(jo.pk)) == jo
    assert person_get_for_user(user=personas["practitioner"], person_id=jo.pk) == jo


@pytest.mark.parametrize("person_id", ["not-a-uuid", "", None, 42, str(uuid.uuid4())])
def test_person_get_for_user_answers_404_for_malformed_and_unknown_ids(personas, person_id):
    with pytest.raises(Http404):
        person_get_for_user(user=personas["practitioner"], person_id=person_id)


def test_person_get_for_user_answers_404_out_of_scope(personas, make_person):
    jo = make_person()
    with pytest.raises(Http404):
        person_get_for_user(user=personas["partner"], person_id=jo.pk)


# -- Search -----------------------------------------------------------------------------------


def search(personas: dict[str, Any], **criteria: Any) -> list[Person]:
    return people_search(user=personas["practitioner"], **criteria)


def test_an_empty_search_is_refused(personas):
    with pytest.raises(ValueError, match="needs a name"):
        search(personas)
    with pytest.raises(ValueError, match="needs a name"):
        search(personas, name="  ,  ", nhs_number=" ", postcode=" ")


def test_search_by_name_in_any_order_and_any_case(personas, make_person):
    jo = make_person("Jo", "Smith")
    make_person("Sam", "Smith")
    make_person("Jo", "Brown")
    assert search(personas, name="smith jo") == [jo]
    assert search(personas, name="JO SMITH") == [jo]
    assert search(personas, name="Smith, Jo") == [jo]


def test_search_by_the_start_of_a_name(personas, make_person):
    joanne = make_person("Joanne", "Smithson")
    assert search(personas, name="jo smi") == [joanne]
    assert search(personas, name="anne") == []


def test_search_finds_people_by_another_name_they_were_known_by(personas, make_person):
    jo = make_person("Jo", "Brown", aliases=(("Josephine", "Smith"),))
    assert search(personas, name="smith") == [jo]
    assert search(personas, name="josephine brown") == [jo]


def test_exact_surname_matches_come_first_then_by_name(personas, make_person):
    smithson = make_person("Amy", "Smithson")
    zoe = make_person("Zoe", "Smith")
    adam = make_person("Adam", "Smith")
    assert search(personas, name="smith") == [adam, zoe, smithson]


def test_search_by_nhs_number_is_exact_after_normalising(personas, make_person):
    jo = make_person(nhs_number="9434765919")
    make_person("Sam", "Smith", nhs_number="4010232137")
    assert search(personas, nhs_number="943 476 5919") == [jo]
    assert search(personas, nhs_number="943-476-5919") == [jo]
    assert search(personas, nhs_number="943476591") == []


def test_search_by_date_of_birth_is_exact(personas, make_person):
    jo = make_person(date_of_birth=date(2015, 3, 4))
    make_person("Sam", date_of_birth=date(2015, 3, 5))
    assert search(personas, date_of_birth=date(2015, 3, 4)) == [jo]


def test_search_by_postcode_normalises_it(personas, make_person):
    jo = make_person(postcode="NB1 2CD")
    make_person("Sam", postcode="NB1 2CE")
    assert search(personas, postcode="nb12cd") == [jo]
    assert search(personas, postcode="  Nb1   2cD ") == [jo]


def test_search_by_postcode_finds_a_previous_address(personas, make_person):
    jo = make_person(postcode="NB9 9ZZ", previous_postcode="NB1 2CD")
    assert search(personas, postcode="NB1 2CD") == [jo]


def test_search_finds_postcodes_stored_without_a_space(personas, make_person):
    jo = make_person()
    Address.objects.create(person=jo, line_1="3 Lane", postcode="NB12CD")
    assert search(personas, postcode="NB1 2CD") == [jo]


def test_criteria_narrow_each_other(personas, make_person):
    jo = make_person("Jo", "Smith", date_of_birth=date(2015, 3, 4), postcode="NB1 2CD")
    make_person("Jo", "Smith", date_of_birth=date(2012, 1, 1), postcode="NB1 2CD")
    make_person("Jo", "Smith", date_of_birth=date(2015, 3, 4), postcode="NB7 7AA")
    assert search(personas, name="jo smith", date_of_birth=date(2015, 3, 4), postcode="NB12CD") == [
        jo
    ]


def test_a_person_matching_twice_is_listed_once(personas, make_person):
    jo = make_person("Jo", "Jones", aliases=(("Jo", "Jones"),), postcode="NB1 2CD")
    Address.objects.create(person=jo, line_1="Again", postcode="NB1 2CD")
    assert search(personas, name="jo jones", postcode="NB1 2CD") == [jo]


def test_search_stops_at_the_limit(personas, make_person):
    for i in range(5):
        make_person(f"Child{i}", "Smith")
    found = search(personas, name="smith", limit=3)
    assert [p.first_name for p in found] == ["Child0", "Child1", "Child2"]


def test_search_finds_no_one_for_roles_outside_casework(personas, make_person):
    make_person()
    for role in ("partner", "analyst", "lado", "admin", "nobody"):
        assert people_search(user=personas[role], name="smith") == []


def test_names_with_like_wildcards_are_taken_literally(personas, make_person):
    make_person("Jo", "Smith")
    assert search(personas, name="%") == []
    assert search(personas, name="_o") == []


def test_search_prefetches_the_current_address(personas, make_person, django_assert_num_queries):
    for i in range(10):
        make_person(f"Child{i}", "Smith", postcode="NB1 2CD", previous_postcode="NB9 9ZZ")
    assert personas["practitioner"].roles  # cached once per request in real use
    with django_assert_num_queries(2):  # the people, then all their current addresses
        found = search(personas, postcode="NB1 2CD")
        postcodes = [getattr(current_address_of(p), "postcode", None) for p in found]
    assert postcodes == ["NB1 2CD"] * 10
    with django_assert_num_queries(3):  # a name search first looks up aliases
        found = search(personas, name="child smith")
        postcodes = [getattr(current_address_of(p), "postcode", None) for p in found]
    assert postcodes == ["NB1 2CD"] * 10


def test_a_person_with_only_past_addresses_has_no_current_one(personas, make_person):
    make_person(previous_postcode="NB1 2CD")
    (jo,) = search(personas, postcode="NB1 2CD")
    assert current_address_of(jo) is None


def test_a_name_word_matching_very_many_aliases_still_searches_correctly(
    personas, make_person, monkeypatch
):
    from evident.people import selectors

    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES_MAX", 0)  # as for a single letter
    jo = make_person("Jo", "Brown", aliases=(("Josephine", "Smith"),))
    make_person("Sam", "Smith")
    assert search(personas, name="smith jo") == [jo]


def test_a_sibling_tie_recorded_both_ways_is_shown_once(personas, make_person):
    from evident.people.models import Relationship
    from evident.people.selectors import person_record_for_user

    amy, ben = make_person("Amy", "Cole"), make_person("Ben", "Cole")
    Relationship.objects.create(person=amy, other=ben, kind=Relationship.Kind.SIBLING)
    Relationship.objects.create(person=ben, other=amy, kind=Relationship.Kind.SIBLING)
    record = person_record_for_user(user=personas["practitioner"], person=amy)
    assert [(r.person, r.label) for r in record.relatives] == [(ben, "Sibling")]
