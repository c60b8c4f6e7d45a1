"""Correcting a child's details, in headless Chromium: a practitioner opens a child's record,
changes the ethnicity and ticks a disability (after a mistyped UPN is refused with the error
summary), saves, and sees the new details on the record. Every page is checked with axe-core
against WCAG 2.2 AA and for CSP violations."""

from __future__ import annotations

from datetime import date

import pytest

from evident.audit.models import AuditEvent
from evident.front_door.services_mash import front_door_defaults_ensure
from evident.people.models import Person
from tests.browser.test_contact_to_annex_a import page, shot, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_practitioner_corrects_a_childs_details(page, personas):  # noqa: F811
    front_door_defaults_ensure()
    child = Person.objects.create(
        council_id="CD0000001",
        first_name="Leo",
        last_name="Marsh",
        date_of_birth=date(2017, 9, 12),
        sex="M",
        ethnicity="NOBT",
    )

    sign_in(page, "practitioner")
    page.goto(page.base + f"/people/{child.pk}/")
    shot(page, "change-01-record")
    page.click("#change-details")
    page.wait_for_url(f"**/people/{child.pk}/change/")
    assert page.input_value("#id_first_name") == "Leo"
    assert page.input_value("#id_date_of_birth_2") == "2017"
    shot(page, "change-02-form")

    page.select_option("#id_ethnicity", "WBRI")
    page.get_by_label("Communication").check()
    page.fill("#id_upn", "A12345678901Z")  # a mistyped UPN: its check letter is wrong
    page.click("#save-details")
    assert page.locator(".govuk-error-summary").count() == 1
    assert page.locator(".govuk-error-summary a[href='#id_upn']").count() == 1
    # What was typed is kept while the mistake is put right.
    assert page.input_value("#id_ethnicity") == "WBRI"
    assert page.get_by_label("Communication").is_checked()
    shot(page, "change-03-error")
    assert Person.objects.get(pk=child.pk).ethnicity == "NOBT"

    page.fill("#id_upn", "")
    page.click("#save-details")
    page.wait_for_url(f"**/people/{child.pk}/")
    assert (
        "Leo Marsh's details have been saved"
        in page.locator(".govuk-notification-banner--success").inner_text()
    )
    identity = page.locator(".govuk-summary-list").first.inner_text()
    assert "White British" in identity
    assert "Communication" in identity
    shot(page, "change-04-saved")

    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.detail["changed"] == ["ethnicity", "disabilities"]
    assert page.csp_violations == []
    assert page.accessibility_violations == []
