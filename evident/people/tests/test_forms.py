from __future__ import annotations

from datetime import date

import pytest

from evident.people.forms import PersonForm, PersonSearchForm

pytestmark = pytest.mark.django_db


def test_the_person_form_works_under_a_prefix_inside_another_flow():
    form = PersonForm(
        prefix="child",
        data={
            "child-first_name": "Jo",
            "child-last_name": "Smith",
            "child-date_of_birth_day": "4",
            "child-date_of_birth_month": "3",
            "child-date_of_birth_year": "2015",
            "child-sex": "F",
            "child-gender": "female",
            "child-ethnicity": "WBRI",
            "child-disabilities": ["AUT"],
        },
    )
    assert form.is_valid(), form.errors
    kwargs = form.person_create_kwargs()
    assert kwargs["date_of_birth"] == date(2015, 3, 4)
    assert kwargs["expected_date_of_birth"] is None
    assert kwargs["disabilities"] == ["AUT"]
    html = form.render()
    assert 'data-aria-controls="id_child-unborn-conditional"' in html
    assert 'id="id_child-unborn-conditional"' in html


def test_an_expected_date_is_ignored_unless_not_born_yet_is_ticked():
    form = PersonForm(
        data={
            "first_name": "Jo",
            "last_name": "Smith",
            "date_of_birth_day": "4",
            "date_of_birth_month": "3",
            "date_of_birth_year": "2015",
            "expected_date_of_birth_day": "1",
            "expected_date_of_birth_month": "1",
            "expected_date_of_birth_year": "2020",
            "sex": "M",
            "gender": "male",
            "ethnicity": "NOBT",
        }
    )
    assert form.is_valid(), form.errors
    assert form.person_create_kwargs()["expected_date_of_birth"] is None


def test_the_search_form_needs_one_criterion_and_a_full_postcode():
    assert not PersonSearchForm(data={}).is_valid()
    form = PersonSearchForm(data={"postcode": "NB1"})
    assert not form.is_valid()
    assert "postcode" in form.errors
    form = PersonSearchForm(data={"nhs_number": "943 476 5919"})
    assert form.is_valid()
    assert form.criteria()["nhs_number"] == "9434765919"
