"""Merging a duplicate record and undoing it, in headless Chromium: a team manager finds
the duplicate from a child's record, compares the two, merges them (the contact moves to
the kept record), sees the merged-away record's banner, and undoes the merge. Every page
is checked with axe-core against WCAG 2.2 AA and for CSP violations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from evident.core.codes import ReferralSource
from evident.front_door import services
from evident.front_door.models import Contact, ContactChild
from evident.front_door.services_mash import front_door_defaults_ensure
from evident.people.models import Address, Person, PersonMerge
from tests.browser.test_contact_to_annex_a import page, shot, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_merges_two_records_and_undoes_it(page, personas):  # noqa: F811
    front_door_defaults_ensure()
    kept = Person.objects.create(
        council_id="MG0000001", first_name="Ruby", last_name="Hart", date_of_birth=date(2016, 5, 2)
    )
    away = Person.objects.create(
        council_id="MG0000002",
        first_name="Rubie",
        last_name="Hart",
        date_of_birth=date(2016, 5, 2),
        nhs_number="9434765919",
    )
    Address.objects.create(person=kept, line_1="4 Mill Lane", postcode="NE1 4XF")
    Address.objects.create(person=away, line_1="4 Mill Lane", postcode="NE1 4XF")
    services.contact_record(
        actor=personas["practitioner"],
        received_at=timezone.now() - timedelta(hours=1),
        source=ReferralSource.SCHOOLS,
        concern="School worried about attendance.",
        consent=Contact.Consent.GIVEN,
        children=[away.pk],
        referrer_email="head@school.example",
    )

    sign_in(page, "manager")
    page.goto(page.base + f"/people/{kept.pk}/")
    page.click("#merge-link")
    shot(page, "merge-01-find")
    page.click("#find-duplicate")  # nothing entered
    assert page.locator(".govuk-error-summary").count() == 1
    page.fill("#id_name", "hart")
    page.click("#find-duplicate")
    shot(page, "merge-02-candidates")
    page.click("#compare-MG0000002")
    assert "943 476 5919" in page.locator("#identifiers").inner_text()
    assert page.locator("#identifier-warning").count() == 1
    shot(page, "merge-03-compare")
    page.click("#confirm-merge")  # no reason given
    assert page.locator(".govuk-error-summary").count() == 1
    shot(page, "merge-04-compare-error")
    page.fill("#id_reason", "Same child: the school roll has one pupil with this NHS number")
    page.click("#confirm-merge")
    page.wait_for_url(f"**/people/{kept.pk}/")
    assert (
        "has been merged into this record"
        in page.locator(".govuk-notification-banner--success").inner_text()
    )
    assert page.locator("#merged-in").count() == 1
    shot(page, "merge-05-merged")
    assert ContactChild.objects.get().person_id == kept.pk
    merge = PersonMerge.objects.get()

    page.goto(page.base + f"/people/{away.pk}/")
    assert "This record was merged into" in page.locator("#merged-banner").inner_text()
    shot(page, "merge-06-merged-away-record")

    page.goto(page.base + "/people/merges/")
    shot(page, "merge-07-list")
    page.goto(page.base + f"/people/{away.pk}/")
    page.click("#undo-merge")
    page.click("#confirm-undo")  # no reason given
    assert page.locator(".govuk-error-summary").count() == 1
    page.fill("#id_reason", "Twins, not one child: the NHS number was recorded on the wrong twin")
    shot(page, "merge-08-undo")
    page.click("#confirm-undo")
    page.wait_for_url(f"**/people/{away.pk}/")
    assert (
        "The merge has been undone"
        in page.locator(".govuk-notification-banner--success").inner_text()
    )
    assert page.locator("#merged-banner").count() == 0
    shot(page, "merge-09-undone")
    merge.refresh_from_db()
    assert merge.is_reversed
    assert ContactChild.objects.get().person_id == away.pk

    assert page.csp_violations == []
    assert page.accessibility_violations == []
