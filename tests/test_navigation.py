"""The navigation shows each user only the pages their role may use, with one active item."""

from __future__ import annotations

import pytest

from evident.accounts.navigation import navigation_for

pytestmark = pytest.mark.django_db


def labels(items):
    return [item.label for item in items]


def test_a_practitioner_sees_the_front_door_and_not_the_ofsted_data(personas):
    items = navigation_for(personas["practitioner"], "/")
    assert "Front door" in labels(items)
    assert "Ofsted data" not in labels(items)
    assert [item.label for item in items if item.active] == ["Home"]


def test_an_analyst_sees_the_ofsted_data_and_no_childrens_records(personas):
    items = labels(navigation_for(personas["analyst"], "/"))
    assert "Ofsted data" in items
    assert "Find a person" not in items
    assert "Front door" not in items


def test_a_partner_sees_only_the_portal(personas):
    items = navigation_for(personas["partner"], "/portal/requests/")
    assert labels(items) == ["Home", "Your submissions", "Information requests", "LADO referrals"]
    # The requests page sits under the portal's home: only the closer item is active.
    assert [item.label for item in items if item.active] == ["Information requests"]


def test_a_user_with_no_role_sees_nothing(personas):
    # Even the home page needs a role: an account without one has been set up wrongly.
    assert labels(navigation_for(personas["nobody"], "/")) == []
