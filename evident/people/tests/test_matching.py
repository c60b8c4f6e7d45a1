"""Finding the child: the scoring rules (no database) and the ranked, scoped selector."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from evident.people import matching
from evident.people.matching import (
    Candidate,
    MatchQuery,
    candidate_ids,
    evidence_for,
    name_key,
    name_readings,
    people_matching,
    perfect_score,
    swapped_date,
    threshold,
)
from evident.people.models import Household, HouseholdMember, Person
from evident.people.nicknames import FORMAL_NAMES, NICKNAMES, name_variants, nickname_link


def labels(query: MatchQuery, candidate: Candidate) -> list[str]:
    return [e.label for e in evidence_for(query, candidate)]


# -- Nicknames ---------------------------------------------------------------------------------


def test_the_nickname_table_reads_both_ways():
    assert "BILL" in NICKNAMES["WILLIAM"]
    assert "WILLIAM" in FORMAL_NAMES["BILL"]
    assert "ELIZABETH" in FORMAL_NAMES["BETH"]
    assert sum(len(shorts) for shorts in NICKNAMES.values()) >= 300


def test_name_variants_include_the_formal_name_and_its_other_short_forms():
    assert {"WILLIAM", "WILL", "LIAM", "BILL"} <= name_variants("Bill")
    assert {"LIZ", "BETH", "ELIZA"} <= name_variants("elizabeth")
    assert name_variants("Zebedee") == {"ZEBEDEE"}
    assert name_variants("  ") == frozenset()


def test_a_nickname_link_says_which_way_round_it_is():
    assert nickname_link("Bill", "William") == "Nickname of William"
    assert nickname_link("William", "Bill") == "Known as Bill, a nickname of William"
    assert nickname_link("Liz", "Beth") == "Both nicknames of Elizabeth"
    assert nickname_link("Bill", "Bill") is None
    assert nickname_link("Bill", "Susan") is None


# -- Pure scoring ------------------------------------------------------------------------------


def test_sound_alike_spellings_share_a_phonetic_key():
    assert name_key("Smith") == name_key("Smyth") == name_key("smith")
    assert name_key("Catherine") == name_key("Kathryn")
    assert name_key("O'Brien") == name_key("OBrien")
    assert name_key("Smith") != name_key("Jones")
    assert name_key("") == name_key("-'") == ""


def test_day_and_month_swap_only_where_it_makes_a_different_date():
    assert swapped_date(date(2015, 3, 4)) == date(2015, 4, 3)
    assert swapped_date(date(2015, 3, 14)) is None  # there is no 14th month
    assert swapped_date(date(2015, 5, 5)) is None  # the same date


def test_a_name_is_read_both_ways_round():
    assert name_readings("Jo Smith") == [("Jo", "Smith"), ("Smith", "Jo")]
    assert name_readings("Smith, Jo") == [("Smith", "Jo"), ("Jo", "Smith")]
    assert name_readings("Jo Ann Smith") == [("Jo", "Smith"), ("Smith", "Jo")]
    assert name_readings("Smith") == [("", "Smith"), ("Smith", "")]
    assert name_readings(" ,, ") == []


def test_nhs_number_and_exact_details_give_the_strongest_evidence():
    query = MatchQuery(
        name="William Smith", date_of_birth=date(2015, 3, 4), nhs_number="943 476 5919"
    )
    candidate = Candidate(
        first_name="William",
        last_name="Smith",
        date_of_birth=date(2015, 3, 4),
        nhs_number="9434765919",
    )
    assert labels(query, candidate) == [
        "NHS number matches",
        "Date of birth matches",
        "Surname matches",
        "First name matches",
    ]
    assert matching.score(evidence_for(query, candidate)) == perfect_score(query) == 135


def test_a_different_nhs_number_counts_against():
    query = MatchQuery(name="William Smith", nhs_number="9434765919")
    candidate = Candidate(first_name="William", last_name="Smith", nhs_number="9434765870")
    evidence = evidence_for(query, candidate)
    assert "Different NHS number" in [e.label for e in evidence]
    assert matching.score(evidence) == 25 + 20 - 30


def test_fuzzy_evidence_explains_itself():
    query = MatchQuery(name="Bill Smith", date_of_birth=date(2015, 3, 4))
    candidate = Candidate(first_name="William", last_name="Smyth", date_of_birth=date(2015, 4, 3))
    assert labels(query, candidate) == [
        "Date of birth matches with day and month swapped",
        "Surname sounds like Smith",
        "Nickname of William",
    ]


def test_a_near_spelling_that_sounds_different_is_still_evidence():
    query = MatchQuery(name="Alex Smiht")
    candidate = Candidate(first_name="Alix", last_name="Smith")
    found = labels(query, candidate)
    assert "Surname spelt similarly to Smiht" in found
    assert any(label.startswith("First name") for label in found)


def test_only_the_best_reading_of_the_name_counts():
    query = MatchQuery(name="Smith Jo")
    candidate = Candidate(first_name="Jo", last_name="Smith")
    assert labels(query, candidate) == ["Surname matches", "First name matches"]


def test_postcode_current_scores_above_previous():
    query = MatchQuery(postcode="nb1 2ab")
    now = Candidate(first_name="A", last_name="B", current_postcodes=frozenset({"NB1 2AB"}))
    before = Candidate(first_name="A", last_name="B", previous_postcodes=frozenset({"NB12AB"}))
    assert labels(query, now) == ["Same postcode"]
    assert labels(query, before) == ["Lived at this postcode before"]
    assert matching.score(evidence_for(query, now)) > matching.score(evidence_for(query, before))


def test_a_child_in_the_household_of_a_child_on_the_contact_is_a_likely_sibling():
    query = MatchQuery(name="Smith")
    child = Candidate(first_name="Billie", last_name="Smith", household_with=("Alex Smith",))
    adult = Candidate(
        first_name="Sam", last_name="Smith", household_with=("Alex Smith",), is_child=False
    )
    assert "Sibling in the same household as Alex Smith already on this contact" in labels(
        query, child
    )
    assert labels(query, adult) == ["Surname matches"]


def test_the_threshold_is_half_a_perfect_score_and_at_most_35():
    assert threshold(MatchQuery(postcode="NB1 2AB")) == 7.5
    assert threshold(MatchQuery(name="Smith")) == 12.5
    assert threshold(MatchQuery(name="Jo Smith", date_of_birth=date(2015, 3, 4))) == 35
    # A name alone, with a mistyped date of birth, still reaches the threshold.
    query = MatchQuery(name="Jo Smith", date_of_birth=date(2016, 9, 30))
    same_name = Candidate(first_name="Jo", last_name="Smith", date_of_birth=date(2015, 9, 30))
    assert matching.score(evidence_for(query, same_name)) >= threshold(query)


# -- The selector ------------------------------------------------------------------------------

needs_db = pytest.mark.django_db


def find(personas: dict[str, Any], role: str = "practitioner", **criteria: Any) -> list[Any]:
    return people_matching(user=personas[role], query=MatchQuery(**criteria))


@needs_db
def test_saving_a_person_keeps_the_phonetic_keys(make_person):
    jo = make_person("Catherine", "Smyth")
    assert (jo.first_name_key, jo.last_name_key) == (name_key("Kathryn"), name_key("Smith"))
    jo.last_name = "Jones"
    jo.save(update_fields=["last_name"])
    jo.refresh_from_db()
    assert jo.last_name_key == name_key("Jones")


@needs_db
def test_matches_are_ranked_with_their_reasons(personas, make_person):
    exact = make_person("William", "Smith", date_of_birth=date(2015, 3, 4))
    nickname = make_person("Bill", "Smyth", date_of_birth=date(2015, 4, 3))
    make_person("William", "Jones", date_of_birth=date(2011, 1, 1))  # neither name nor date
    found = find(personas, name="William Smith", date_of_birth=date(2015, 3, 4))
    assert [m.person for m in found] == [exact, nickname]
    assert found[0].reasons == ["Date of birth matches", "Surname matches", "First name matches"]
    assert found[0].strength == "Strong match"
    assert found[1].reasons == [
        "Date of birth matches with day and month swapped",
        "Surname sounds like Smith",
        "Known as Bill, a nickname of William",
    ]
    assert found[0].score > found[1].score


@needs_db
def test_an_nhs_number_finds_a_child_recorded_under_another_name(personas, make_person):
    child = make_person("Kai", "Nguyen", nhs_number="9434765919")
    found = find(personas, name="Jo Bloggs", nhs_number="943 476 5919")
    assert [m.person for m in found] == [child]
    assert found[0].reasons == ["NHS number matches"]


@needs_db
def test_a_postcode_alone_lists_the_people_there_current_first(personas, make_person):
    now = make_person("Ann", "Lee", postcode="NB1 2AB")
    before = make_person("Bea", "Kay", postcode="NB9 9ZZ", previous_postcode="NB1 2AB")
    make_person("Cy", "Ode", postcode="NB3 3CD")
    found = find(personas, postcode="nb12ab")
    assert [m.person for m in found] == [now, before]
    assert [m.address.postcode if m.address else None for m in found] == ["NB1 2AB", "NB9 9ZZ"]


@needs_db
def test_a_sibling_in_the_household_of_a_child_on_the_contact_ranks_first(personas, make_person):
    alex = make_person("Alex", "Smith")
    billie = make_person("Billie", "Smith", date_of_birth=date(2018, 7, 9))
    other = make_person("Bobbie", "Smith", date_of_birth=date(2018, 7, 9))
    home = Household.objects.create(name="Smith household")
    HouseholdMember.objects.create(household=home, person=alex)
    HouseholdMember.objects.create(household=home, person=billie)
    found = people_matching(
        user=personas["practitioner"], query=MatchQuery(name="Smith"), on_contact=[alex]
    )
    assert found[0].person == billie
    assert "Sibling in the same household as Alex Smith already on this contact" in (
        found[0].reasons
    )
    assert other in [m.person for m in found]


@needs_db
def test_someone_who_has_left_the_household_is_not_called_a_sibling(personas, make_person):
    alex = make_person("Alex", "Smith")
    moved_out = make_person("Billie", "Smith", date_of_birth=date(2018, 7, 9))
    home = Household.objects.create(name="Smith household")
    HouseholdMember.objects.create(household=home, person=alex)
    HouseholdMember.objects.create(household=home, person=moved_out, end_date=date(2020, 1, 1))
    found = people_matching(
        user=personas["practitioner"], query=MatchQuery(name="Smith"), on_contact=[alex]
    )
    billie = next(m for m in found if m.person == moved_out)
    assert billie.reasons == ["Surname matches"]


@needs_db
def test_weak_candidates_below_the_threshold_are_not_shown(personas, make_person):
    make_person("Zara", "Quinn", date_of_birth=date(2015, 4, 3))  # only the swapped date
    assert find(personas, name="Jo Smith", date_of_birth=date(2015, 3, 4)) == []


@needs_db
def test_candidates_come_only_from_the_blocking_keys(personas, make_person):
    smyth = make_person("Jo", "Smyth")
    make_person("Ola", "Nowak", date_of_birth=date(2001, 1, 1))
    ids = candidate_ids(user=personas["practitioner"], query=MatchQuery(name="Jo Smith"))
    assert ids == {smyth.pk}


@needs_db
def test_matching_takes_a_fixed_number_of_queries(
    personas, make_person, django_assert_max_num_queries
):
    for n in range(12):
        make_person("Jo", "Smith", postcode="NB1 2AB", date_of_birth=date(2015, 3, 1 + n))
    with django_assert_max_num_queries(12):
        found = find(personas, name="Jo Smith", date_of_birth=date(2015, 3, 4), postcode="NB1 2AB")
    assert len(found) == 12
    assert found[0].person.date_of_birth == date(2015, 3, 4)


@needs_db
def test_results_are_capped(personas, make_person):
    for n in range(5):
        make_person("Jo", "Smith", date_of_birth=date(2015, 3, 1 + n))
    found = people_matching(user=personas["practitioner"], query=MatchQuery(name="Smith"), limit=3)
    assert len(found) == 3


@needs_db
def test_an_empty_query_finds_no_one(personas, make_person):
    make_person()
    assert find(personas, name=" , ") == []


@needs_db
@pytest.mark.parametrize("role", ["partner", "lado", "analyst", "leader", "admin", "nobody"])
def test_people_outside_the_users_scope_are_never_matched(personas, make_person, role):
    make_person("Jo", "Smith", nhs_number="9434765919", postcode="NB1 2AB")
    assert find(personas, role, name="Jo Smith", nhs_number="9434765919", postcode="NB1 2AB") == []


@needs_db
def test_people_created_anywhere_get_their_phonetic_keys(make_person):
    assert Person.objects.filter(last_name_key=name_key("Smith")).count() == 0
    make_person("Jo", "Smith")
    assert Person.objects.filter(last_name_key=name_key("Smyth")).count() == 1
