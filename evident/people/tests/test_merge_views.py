"""The merge pages: find the duplicate, compare, merge, the merges list and undo."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from evident.audit.models import AuditEvent
from evident.people import merging
from evident.people.models import Person, PersonMerge

pytestmark = pytest.mark.django_db

NOT_MANAGERS = ["practitioner", "socialworker", "partner", "lado", "analyst", "leader", "admin"]


def signed_in(client: Client, personas: dict[str, Any], name: str) -> Client:
    client.force_login(personas[name])
    return client


@pytest.fixture
def pair(make_person):
    kept = make_person("Ruby", "Hart", postcode="NE1 4XF", council_id="NB0000001")
    away = make_person(
        "Rubie", "Hart", postcode="NE2 1AA", nhs_number="9434765919", council_id="NB0000002"
    )
    return kept, away


def urls(kept: Person, away: Person, merge: PersonMerge | None = None) -> list[str]:
    found = [
        reverse("people:merge_find", args=[kept.pk]),
        reverse("people:merge_compare", args=[kept.pk, away.pk]),
        reverse("people:merges"),
    ]
    if merge is not None:
        found += [
            reverse("people:merge", args=[merge.pk]),
            reverse("people:merge_undo", args=[merge.pk]),
        ]
    return found


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_only_team_managers_reach_the_merge_pages(client, personas, pair, role):
    kept, away = pair
    done = merging.people_merge(actor=personas["manager"], keep=kept, merge_away=away, reason="x")
    signed_in(client, personas, role)
    for url in urls(kept, away, done):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"reason": "r", "keep": str(kept.pk)}).status_code == 403, url
    done.refresh_from_db()
    assert not done.is_reversed


def test_the_person_page_offers_merging_to_managers_only(client, personas, pair):
    kept, _ = pair
    url = reverse("people:person", args=[kept.pk])
    merge_url = reverse("people:merge_find", args=[kept.pk])
    assert merge_url in signed_in(client, personas, "manager").get(url).text
    assert merge_url not in signed_in(client, personas, "socialworker").get(url).text


def test_finding_the_duplicate_by_council_id_goes_to_the_comparison(client, personas, pair):
    kept, away = pair
    response = signed_in(client, personas, "manager").post(
        reverse("people:merge_find", args=[kept.pk]), {"council_id": "nb0000002"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:merge_compare", args=[kept.pk, away.pk])
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.SEARCH, section="merge: find the duplicate"
    ).exists()


def test_finding_the_duplicate_refuses_its_own_council_id_and_unknown_ones(client, personas, pair):
    kept, _ = pair
    url = reverse("people:merge_find", args=[kept.pk])
    client = signed_in(client, personas, "manager")
    assert (
        "That is this record&#x27;s own council ID"
        in client.post(url, {"council_id": "NB0000001"}).text
    )
    assert "No record has that council ID" in client.post(url, {"council_id": "ZZ9"}).text
    assert "Enter the council ID of the duplicate, or a name" in client.post(url, {}).text


def test_finding_the_duplicate_by_name_lists_others_not_itself(client, personas, pair):
    kept, away = pair
    body = (
        signed_in(client, personas, "manager")
        .post(reverse("people:merge_find", args=[kept.pk]), {"name": "hart"})
        .text
    )
    assert reverse("people:merge_compare", args=[kept.pk, away.pk]) in body
    assert reverse("people:merge_compare", args=[kept.pk, kept.pk]) not in body


def test_the_comparison_shows_both_records_and_warns_of_identifiers(client, personas, pair):
    kept, away = pair
    body = (
        signed_in(client, personas, "manager")
        .get(reverse("people:merge_compare", args=[kept.pk, away.pk]))
        .text
    )
    assert "943 476 5919" in body
    assert "NE2 1AA" in body
    assert "NE1 4XF" in body
    assert 'id="identifier-warning"' in body
    assert "it does not change names, dates of birth, NHS numbers or UPNs" in body
    assert "The name Rubie Hart is added to Ruby Hart's other names" in body
    assert PersonMerge.objects.count() == 0
    reads = AuditEvent.objects.filter(section="merge comparison")
    assert set(reads.values_list("person_id", flat=True)) == {kept.pk, away.pk}


def test_a_merge_needs_a_reason(client, personas, pair):
    kept, away = pair
    response = signed_in(client, personas, "manager").post(
        reverse("people:merge_compare", args=[kept.pk, away.pk]), {"keep": str(kept.pk)}
    )
    assert response.status_code == 200
    assert "Enter the reason" in response.text
    assert PersonMerge.objects.count() == 0


def test_a_manager_merges_and_can_keep_either_record(client, personas, pair):
    kept, away = pair
    response = signed_in(client, personas, "manager").post(
        reverse("people:merge_compare", args=[kept.pk, away.pk]),
        {"keep": str(away.pk), "reason": "Same NHS number on the school roll"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("people:person", args=[away.pk])
    assert "has been merged into this record" in response.text
    merge = PersonMerge.objects.get()
    assert (merge.kept, merge.merged_away) == (away, kept)
    assert merge.reason == "Same NHS number on the school roll"


def test_a_merged_away_record_shows_where_it_went(client, personas, pair):
    kept, away = pair
    merging.people_merge(actor=personas["manager"], keep=kept, merge_away=away, reason="Same")
    url = reverse("people:person", args=[away.pk])
    body = signed_in(client, personas, "socialworker").get(url).text
    assert "This record was merged into" in body
    assert reverse("people:person", args=[kept.pk]) in body
    assert "Manager Tester" in body
    assert 'id="undo-merge"' not in body  # for managers only
    assert AuditEvent.objects.filter(
        person=away, action=AuditEvent.Action.VIEW, section="record"
    ).exists()
    assert 'id="undo-merge"' in signed_in(client, personas, "manager").get(url).text


def test_comparing_with_a_merged_away_record_explains_the_refusal(client, personas, pair):
    kept, away = pair
    merging.people_merge(actor=personas["manager"], keep=kept, merge_away=away, reason="Same")
    body = (
        signed_in(client, personas, "manager")
        .get(reverse("people:merge_compare", args=[kept.pk, away.pk]))
        .text
    )
    assert 'id="merge-problem"' in body
    assert "has already been merged into another record" in body
    assert 'id="confirm-merge"' not in body


def test_the_merges_list_and_undo(client, personas, pair):
    kept, away = pair
    done = merging.people_merge(actor=personas["manager"], keep=kept, merge_away=away, reason="x")
    client = signed_in(client, personas, "manager")
    assert reverse("people:merge", args=[done.pk]) in client.get(reverse("people:merges")).text
    undo = reverse("people:merge_undo", args=[done.pk])
    assert "Enter the reason" in client.post(undo, {"reason": ""}).text
    response = client.post(undo, {"reason": "Twins, not one child"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("people:person", args=[away.pk])
    assert "The merge has been undone" in response.text
    done.refresh_from_db()
    assert done.is_reversed
    assert done.reversal_reason == "Twins, not one child"
    # A second undo is not offered.
    again = client.get(undo, follow=True)
    assert "This merge has already been undone" in again.text


@pytest.mark.parametrize("bad", ["999999", "0"])
def test_unknown_merges_are_404(client, personas, bad):
    client = signed_in(client, personas, "manager")
    assert client.get(f"/people/merges/{bad}/").status_code == 404
    assert client.get(f"/people/merges/{bad}/undo/").status_code == 404


def test_comparing_unknown_people_is_404(client, personas, pair):
    kept, _ = pair
    url = reverse("people:merge_compare", args=[kept.pk, "00000000-0000-0000-0000-000000000000"])
    assert signed_in(client, personas, "manager").get(url).status_code == 404
