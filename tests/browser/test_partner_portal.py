"""The partner portal in headless Chromium: a police officer tells the council about a
concern one question at a time, and sees it listed as "Received"; then a practitioner
sees it on the tray with a "Portal" tag and adds the child to the records from it.

Screenshots land in var/screenshots/ (portal-*.png); every page is checked with axe-core.
"""

from __future__ import annotations

import pytest

from evident.front_door.models import Contact, SubmittedChild
from tests.browser.test_contact_to_annex_a import page, shot, sign_in, sign_out  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def portal_shot(page, name: str) -> None:  # noqa: F811
    shot(page, f"portal-{name}")


def test_partner_submits_a_concern_and_sees_it_received(page, personas):  # noqa: F811
    sign_in(page, "partner")
    nav = page.get_by_role("navigation", name="Menu")
    assert nav.get_by_role("link", name="Front door").count() == 0
    nav.get_by_role("link", name="Your submissions").click()
    portal_shot(page, "01-submissions-empty")
    page.click("#tell-us-about-a-concern")
    assert "01632 960000" in page.locator("#urgent-warning").inner_text()
    portal_shot(page, "02-start")
    page.get_by_role("button", name="Start now").click()

    # A bad answer first: the error names the field.
    page.fill("#id_last_name", "Ward")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter the child's first name" in summary.inner_text()
    portal_shot(page, "03-child-error")
    page.fill("#id_first_name", "Kai")
    page.fill("#id_date_of_birth_0", "3")
    page.fill("#id_date_of_birth_1", "2")
    page.fill("#id_date_of_birth_2", "2016")
    page.fill("#id_address", "4 Mill Lane\nNorthbridge")
    page.fill("#id_postcode", "NB1 2CD")
    page.get_by_role("button", name="Save and continue").click()
    portal_shot(page, "04-children")
    page.click("#id_add_another_1")  # No
    page.get_by_role("button", name="Continue").click()

    page.fill("#id_concern", "Kai told his teacher he was hit at home last night.")
    portal_shot(page, "05-concern")
    page.get_by_role("button", name="Save and continue").click()
    page.fill("#id_actions_taken", "Spoke to Kai with our safeguarding lead.")
    page.click("#id_consent_1")  # not sought: it would put the child at risk
    portal_shot(page, "06-consent")
    page.get_by_role("button", name="Save and continue").click()
    page.fill("#id_referrer_phone", "01632 960123")
    page.fill("#id_referrer_email", "dana.webb@example.org")
    portal_shot(page, "07-your-details")
    page.get_by_role("button", name="Save and continue").click()

    assert "Kai Ward" in page.locator("#check-children").inner_text()
    portal_shot(page, "08-check-answers")
    page.get_by_role("button", name="Send concern").click()
    reference = page.locator("#submission-reference").inner_text().strip()
    assert reference.startswith("C-")
    portal_shot(page, "09-confirmation")

    page.get_by_role("main").get_by_role("link", name="your submissions").click()
    row = page.locator("#portal-submissions tbody tr").first
    assert reference in row.inner_text()
    assert "Received" in row.inner_text()
    portal_shot(page, "10-submissions-received")
    contact = Contact.objects.get(reference=reference)
    assert contact.source == "6"
    assert SubmittedChild.objects.get(contact=contact).full_name == "Kai Ward"
    sign_out(page)

    # The practitioner sees where it came from.
    sign_in(page, "practitioner")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Front door").click()
    assert page.locator(f"#portal-tag-{contact.pk}").inner_text() == "Portal"
    portal_shot(page, "11-tray")
    page.get_by_role("link", name=reference).click()
    assert "Test Police" in page.locator("#portal-submission").inner_text()
    portal_shot(page, "12-contact")

    # Kai is not in the records yet: the practitioner adds him from the partner's details.
    page.click(f"#find-submitted-{SubmittedChild.objects.get(contact=contact).pk}")
    portal_shot(page, "13-find-the-child")
    page.click("#add-as-new-person")
    assert page.input_value("#id_first_name") == "Kai"
    page.click("#id_sex_0")
    portal_shot(page, "14-add-the-child")
    page.get_by_role("button", name="Add child to the records and the contact").click()
    assert "Kai Ward" in page.locator("#contact-children").inner_text()
    portal_shot(page, "15-contact-with-child")

    assert page.csp_violations == []
    assert page.accessibility_violations == []
