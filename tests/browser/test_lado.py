"""The LADO in headless Chromium: a school refers an allegation through the portal, the LADO
considers it, holds an allegations management meeting, records the outcome, and the annual
report counts it. Every page is checked with axe-core (WCAG 2.2 AA) and for CSP violations."""

from __future__ import annotations

import pytest

from evident.lado.models import LadoReferral
from evident.lado.services import retention_rules_ensure
from tests.browser.test_contact_to_annex_a import page, shot, sign_in, sign_out  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_portal_referral_to_outcome_and_report(page, personas):  # noqa: F811
    retention_rules_ensure()  # a transactional test database loses the migration's rows

    # 1. The employer refers through the portal.
    sign_in(page, "partner")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="LADO referrals").click()
    shot(page, "lado-01-portal-list")
    page.click("#refer-to-lado")
    page.click("#start-now")
    page.click("#continue")  # nothing filled in
    assert page.locator(".govuk-error-summary").count() == 1
    shot(page, "lado-02-portal-adult-errors")
    page.fill("#id_adult_first_name", "Robert")
    page.fill("#id_adult_last_name", "Hartley")
    page.fill("#id_adult_date_of_birth_0", "14")
    page.fill("#id_adult_date_of_birth_1", "5")
    page.fill("#id_adult_date_of_birth_2", "1982")
    page.fill("#id_adult_role", "PE teacher")
    page.fill("#id_employer", "Northtown Academy")
    page.select_option("#id_sector", "education")
    page.check("#id_regulated_activity_0")
    page.click("#continue")
    page.check("#id_category_0")
    page.fill("#id_allegation", "A pupil says Mr Hartley grabbed his arm and pushed him.")
    page.fill("#id_children", "Leo Smith, 3/4/2013")
    shot(page, "lado-03-portal-allegation")
    page.click("#continue")
    page.fill("#id_referrer_name", "Dana Head")
    page.fill("#id_referrer_contact", "head@northtown.example")
    page.click("#continue")
    shot(page, "lado-04-portal-check")
    page.click("#send")
    assert "awaiting the LADO" in page.locator("#status").inner_text()
    shot(page, "lado-05-portal-sent")
    referral = LadoReferral.objects.get()
    sign_out(page)

    # 2. The LADO considers it within the working day.
    sign_in(page, "lado")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="LADO", exact=True).click()
    assert referral.reference in page.locator("#lado-tray").inner_text()
    shot(page, "lado-06-tray")
    page.click(f"text={referral.reference}")
    page.click("#record-consideration")
    page.check("#id_decision_0")
    page.click("#save-consideration")
    assert (
        "Select which limbs of the harm test are met"
        in page.locator(".govuk-error-summary").inner_text()
    )
    shot(page, "lado-07-consideration-errors")
    page.check("#id_limbs_0")
    page.check("#id_limbs_1")
    page.fill("#id_rationale", "Physical harm to a pupil and a possible assault.")
    page.click("#save-consideration")
    assert "Harm test met" in page.locator("#consideration-decision").inner_text()

    # 3. The allegations management meeting, with actions by agency.
    page.click("#record-meeting")
    page.check("#id_kind_0")
    page.fill("#id_attendees", "Sam Patel, Northtown Police\nDana Head, Northtown Academy")
    page.fill("#id_decisions", "Police to investigate; the academy to suspend pending the outcome.")
    page.fill("#id_owner_police_investigation", "DC Patel, Northtown Police")
    page.fill("#id_owner_suspension", "Dana Head, head teacher")
    shot(page, "lado-08-meeting")
    page.click("#save-meeting")
    assert "Police investigation" in page.locator("#actions-table").inner_text()

    # 4. The outcome.
    page.click("#record-outcome")
    page.check("#id_outcome_0")
    page.check("#id_followed_by_1")  # dismissal
    page.check("#id_followed_by_3")  # DBS
    page.check("#id_followed_by_4")  # TRA
    page.click("#save-outcome")
    assert page.locator("#outcome-value").inner_text() == "Substantiated"
    assert "14 May 2082" in page.locator("#review-on").inner_text()
    shot(page, "lado-09-case")

    # 5. The annual report counts it, in a chart and a table.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="LADO report").click()
    summary = page.locator("#summary").inner_text()
    assert "Contacts to the LADO (all)\t1" in summary
    assert "Education\t1" in page.locator("#table-sector").inner_text()
    assert page.locator("canvas[data-chart-source]").count() == 5
    page.wait_for_function("() => document.querySelectorAll('canvas').length && window.Chart")
    shot(page, "lado-10-report")
    with page.expect_download() as download:
        page.click("#download-pdf")
    assert download.value.suggested_filename.endswith(".pdf")
    sign_out(page)

    # 6. The partner sees the status only.
    sign_in(page, "partner")
    page.goto(page.base + f"/portal/lado/{referral.pk}/")
    assert page.locator("#status").inner_text() == "Concluded"
    assert "Police to investigate" not in page.content()
    page.goto(page.base + f"/lado/referrals/{referral.pk}/")
    assert "Hartley" not in page.content()

    assert page.csp_violations == []
    assert page.accessibility_violations == []


def test_the_childs_page_and_a_guessed_address_reveal_nothing(page, personas):  # noqa: F811
    from django.utils import timezone

    from evident.audit.models import AuditEvent
    from evident.lado import services
    from evident.lado.services import ChildInvolved
    from evident.people.models import Person

    retention_rules_ensure()
    child = Person.objects.create(council_id="BR0000009", first_name="Ava", last_name="Jones")
    referral = services.referral_record(
        actor=personas["lado"],
        received_at=timezone.now(),
        source="public",
        adult_first_name="Carl",
        adult_last_name="Mercer",
        adult_date_of_birth=None,
        adult_role="Football coach",
        employer="Northtown Juniors FC",
        sector="sport",
        regulated_activity="yes",
        category="emotional",
        allegation="Shouted at and belittled players.",
        children=[ChildInvolved(name="Ava Jones", person_id=child.pk)],
    )

    # A social worker sees only that LADO involvement exists, and whom to call.
    sign_in(page, "socialworker")
    page.goto(page.base + f"/people/{child.pk}/")
    assert "LADO involvement exists" in page.locator("#lado-involvement").inner_text()
    assert "Mercer" not in page.content()
    shot(page, "lado-11-child-page-notice")
    response = page.goto(page.base + f"/lado/referrals/{referral.pk}/")
    assert response is not None
    assert response.status == 404
    assert "Mercer" not in page.content()
    shot(page, "lado-12-guessed-address")
    assert AuditEvent.objects.filter(actor=personas["socialworker"], action="denied").count() == 1
    sign_out(page)

    # The LADO names a senior manager, who then sees the LADO pages.
    sign_in(page, "lado")
    page.goto(page.base + "/lado/retention/")
    shot(page, "lado-13-retention")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="LADO access").click()
    page.select_option("#id_user", str(personas["leader"].pk))
    page.fill("#id_reason", "Director of children's services: oversight of LADO work")
    page.click("#give-access")
    assert "Leader Tester" in page.locator("#live-grants").inner_text()
    shot(page, "lado-14-access")
    sign_out(page)
    sign_in(page, "leader")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="LADO", exact=True).click()
    assert referral.reference in page.locator("#lado-tray").inner_text()
    assert page.locator("#record-referral").count() == 0  # named managers read, never write

    assert page.csp_violations == []
    assert page.accessibility_violations == []
