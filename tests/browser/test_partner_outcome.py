"""Feedback to the referrer, in headless Chromium: a police officer submits a concern
through the portal; a front-door practitioner finds the child in the records, rates the
urgency and decides on a referral; a team manager authorises it; the officer is emailed
and, signing in again, sees the outcome on their submission. Every page is checked with
axe-core against WCAG 2.2 AA and for CSP violations.

Screenshots land in var/screenshots/ (journey-partner-outcome-*.png).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from evident.casework.models import Episode
from evident.front_door.models import Contact, Decision, SubmittedChild
from evident.front_door.services_mash import front_door_defaults_ensure
from evident.people.services import person_create
from tests.browser.test_contact_to_annex_a import page, shot, sign_in, sign_out  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER_EMAIL = "dana.webb@police.example"


def outcome_shot(page, name: str) -> None:  # noqa: F811
    shot(page, f"partner-outcome-{name}")


def _submit_concern(page) -> str:  # noqa: F811
    """The officer's answers, one question a page; returns the reference."""
    sign_in(page, "partner")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your submissions").click()
    page.click("#tell-us-about-a-concern")
    page.get_by_role("button", name="Start now").click()
    page.fill("#id_first_name", "Kai")
    page.fill("#id_last_name", "Ward")
    page.fill("#id_date_of_birth_0", "3")
    page.fill("#id_date_of_birth_1", "2")
    page.fill("#id_date_of_birth_2", "2016")
    page.fill("#id_address", "4 Mill Lane\nNorthbridge")
    page.fill("#id_postcode", "NB1 2CD")
    page.get_by_role("button", name="Save and continue").click()
    page.click("#id_add_another_1")  # No
    page.get_by_role("button", name="Continue").click()
    page.fill("#id_concern", "Officers attended a domestic incident; Kai was in the house.")
    page.get_by_role("button", name="Save and continue").click()
    page.fill("#id_actions_taken", "The suspect was arrested. Kai is with his grandmother.")
    page.click("#id_consent_0")  # the family knows and agrees
    page.get_by_role("button", name="Save and continue").click()
    page.fill("#id_referrer_phone", "01632 960123")
    page.fill("#id_referrer_email", OFFICER_EMAIL)
    page.get_by_role("button", name="Save and continue").click()
    outcome_shot(page, "01-check-answers")
    page.get_by_role("button", name="Send concern").click()
    reference = str(page.locator("#submission-reference").inner_text()).strip()
    outcome_shot(page, "02-confirmation")
    page.get_by_role("main").get_by_role("link", name="your submissions").click()
    assert "Received" in page.locator("#portal-submissions tbody tr").first.inner_text()
    sign_out(page)
    return reference


def test_partner_sees_the_outcome_of_their_concern(page, personas):  # noqa: F811
    # A transactional test database loses the migration's default levels of need.
    front_door_defaults_ensure()
    kai = person_create(
        actor=personas["practitioner"],
        first_name="Kai",
        last_name="Ward",
        date_of_birth=date(2016, 2, 3),
        sex="M",
        gender="male",
        ethnicity="WBRI",
    )

    # 1. The officer sends the concern; nothing is decided yet, so no email.
    reference = _submit_concern(page)
    contact = Contact.objects.get(reference=reference)
    assert contact.submitted_by == personas["partner"]
    assert mail.outbox == []

    # 2. The practitioner finds Kai in the records and decides on a referral.
    sign_in(page, "practitioner")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Front door").click()
    page.get_by_role("link", name=reference).click()
    submitted = SubmittedChild.objects.get(contact=contact)
    page.click(f"#find-submitted-{submitted.pk}")
    assert kai.council_id in page.locator("#candidates").inner_text()
    outcome_shot(page, "03-find-the-child")
    page.locator("#candidates").get_by_role("button", name="This is the child").click()
    assert "Kai Ward" in page.locator("#contact-children").inner_text()
    page.click("#set-urgency")
    page.click("#id_urgency_1")  # amber
    page.fill("#id_reason", "Domestic abuse with a child present; the suspect is in custody.")
    page.get_by_role("button", name="Save urgency").click()
    outcome_shot(page, "04-contact")
    page.click("#record-decisions")
    page.click("#id_outcome_1_3")  # referral to children's social care
    page.fill("#id_rationale_1", "Repeat domestic abuse: Kai's needs should be assessed.")
    page.click("#id_level_1_3")  # level 4
    page.click("#id_voice_known_1_0")
    page.fill("#id_voice_views_1", "Kai told officers he was scared when the shouting started.")
    page.click("#id_voice_obtained_1_1")  # through the referrer
    outcome_shot(page, "05-decide")
    page.get_by_role("button", name="Send for authorisation").click()
    assert "Awaiting authorisation" in page.locator("#contact-status").inner_text()
    sign_out(page)

    # While the decision waits for a manager, the officer still sees "Received".
    assert mail.outbox == []

    # 3. A team manager authorises it: the referral opens and the officer is emailed.
    sign_in(page, "manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Authorisations").click()
    page.get_by_role("link", name=reference).click()
    outcome_shot(page, "06-authorise")
    page.get_by_role("button", name="Authorise decisions").click()
    assert f"Decisions on contact {reference} authorised" in page.inner_text("main")
    sign_out(page)
    decision = Decision.objects.get(contact_child__contact=contact)
    assert decision.status == Decision.Status.AUTHORISED
    episode = Episode.objects.get(contact_child=decision.contact_child)
    assert episode.person_id == kai.pk
    assert episode.referral_source == contact.source == "6"

    [email] = mail.outbox
    assert email.to == [OFFICER_EMAIL]
    assert email.subject == f"Your concern {reference} has been decided"
    assert "accepted a referral" in email.body
    assert "Kai" not in email.body  # email leaves the system: no child's name

    # 4. The officer signs in again and sees the outcome on the submission.
    sign_in(page, "partner")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your submissions").click()
    row = page.locator("#portal-submissions tbody tr").first
    assert reference in row.inner_text()
    assert "Decision made" in row.inner_text()
    outcome_shot(page, "07-submissions-decided")
    page.get_by_role("link", name=reference).click()
    assert page.locator("#submission-status").inner_text() == "Decision made"
    outcome = page.locator("#submission-outcome").inner_text()
    assert "Kai Ward" in outcome
    assert "referral" in outcome.lower()
    # Nothing of the council's record: no council ID, no rationale, no level of need.
    main = page.inner_text("main")
    assert kai.council_id not in main
    assert "assessed" not in main
    outcome_shot(page, "08-submission-outcome")

    assert page.csp_violations == []
    assert page.accessibility_violations == []
