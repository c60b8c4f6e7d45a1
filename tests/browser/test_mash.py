"""The MASH in headless Chromium: a practitioner sets a contact's urgency and asks the
police a question; the police answer in the portal; the answer shows on the contact; an
administrator changes the response times. Every page is checked with axe-core.

Screenshots land in var/screenshots/ (mash-*.png).
"""

from __future__ import annotations

import pytest

from evident.front_door.models import Contact, InformationRequest
from evident.front_door.services_mash import front_door_defaults_ensure
from evident.front_door.tests.conftest import make_child, make_contact  # noqa: F401
from tests.browser.test_contact_to_annex_a import page, shot, sign_in, sign_out  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mash_shot(page, name: str) -> None:  # noqa: F811
    shot(page, f"mash-{name}")


def test_urgency_information_request_answer_and_standards(
    page,  # noqa: F811
    personas,
    make_contact,  # noqa: F811
    make_child,  # noqa: F811
):
    front_door_defaults_ensure()
    contact: Contact = make_contact([make_child("Robin", "Hale")])

    sign_in(page, "practitioner")
    page.goto(f"{page.base}/front-door/contacts/{contact.pk}/")
    page.click("#set-urgency")
    page.get_by_role("button", name="Save urgency").click()
    assert "Select how urgent the contact is" in page.locator(".govuk-error-summary").inner_text()
    mash_shot(page, "01-urgency-error")
    page.click("#id_urgency_0")
    page.fill("#id_reason", "Bruise on the face seen by the teacher.")
    page.get_by_role("button", name="Save urgency").click()
    assert "Red urgency" in page.locator("#urgency").inner_text()
    mash_shot(page, "02-contact-red")

    page.click("#request-information")
    page.select_option("#id_organisation", label="Test Police")
    page.fill("#id_question", "Any callouts to Robin Hale's address this year?")
    mash_shot(page, "03-request")
    page.get_by_role("button", name="Send request").click()
    assert "Awaiting answer" in page.locator("#information-requests-table").inner_text()
    sign_out(page)

    sign_in(page, "partner")
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Information requests"
    ).click()
    mash_shot(page, "04-portal-requests")
    page.get_by_role("link", name=contact.reference).click()
    page.get_by_role("button", name="Send answer").click()
    assert "Enter your answer" in page.locator(".govuk-error-summary").inner_text()
    mash_shot(page, "05-portal-answer-error")
    page.fill("#id_answer", "One callout in March: no arrests.")
    page.get_by_role("button", name="Send answer").click()
    assert "There are no open requests" in page.inner_text("main")
    sign_out(page)
    assert InformationRequest.objects.get().status == InformationRequest.Status.ANSWERED

    sign_in(page, "practitioner")
    page.goto(f"{page.base}/front-door/contacts/{contact.pk}/")
    assert "One callout in March" in page.locator("#information-requests-table").inner_text()
    mash_shot(page, "06-contact-answered")
    page.click("#record-decisions")
    mash_shot(page, "07-decide")
    sign_out(page)

    sign_in(page, "admin")
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Front-door standards"
    ).click()
    page.fill("#id_red_amount", "2")
    mash_shot(page, "08-standards")
    page.get_by_role("button", name="Save response times").click()
    assert "Response times saved" in page.inner_text("main")
    page.get_by_role("link", name="Change level 2").click()
    mash_shot(page, "09-level")

    assert page.csp_violations == []
    assert page.accessibility_violations == []
