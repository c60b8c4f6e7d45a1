"""The first slice end to end, in headless Chromium: a practitioner records a contact about two
children, a team manager authorises "no further action", and an analyst downloads the Annex A
workbook and finds both children in List 1 with the right source label.

Screenshots of every page land in var/screenshots/ for people to look at.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from conftest import PASSWORD
from evident.core.clocks import LONDON
from evident.front_door.services_mash import front_door_defaults_ensure
from evident.people.models import Person
from evident.people.services import person_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "var" / "screenshots"
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.csp_violations = []
    page.accessibility_violations = []
    page.on(
        "console",
        lambda m: (
            page.csp_violations.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    page.base = live_server.url
    yield page
    context.close()


def shot(page, name: str) -> None:
    """Screenshot the page for people to look at, and check it with axe-core against
    WCAG 2.2 AA (evaluate() runs outside the page's CSP, which forbids injected script)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"journey-{name}.png"), full_page=True)
    page.evaluate(AXE.read_text())
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target).join(' ')))",
        WCAG_22_AA,
    )
    page.accessibility_violations.extend(f"{name}: {v}" for v in found)


def sign_in(page, username: str) -> None:
    page.goto(page.base + "/account/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(page.base + "/")


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signed-out/")


def test_contact_to_annex_a(page, personas, tmp_path):
    # A transactional test database loses the migration's default levels of need.
    front_door_defaults_ensure()
    known = person_create(
        actor=personas["practitioner"],
        first_name="Mia",
        last_name="Hartley",
        date_of_birth=timezone.localdate() - timedelta(days=9 * 365),
        sex="F",
        gender="female",
        ethnicity="WBRI",
    )

    # 1. The practitioner records a contact from the police about two children.
    sign_in(page, "practitioner")
    shot(page, "01-home")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Front door").click()
    shot(page, "02-tray-empty")
    page.click("#record-a-contact")
    page.fill("#id_name", "Mia Hartley")
    page.get_by_role("button", name="Search", exact=True).click()
    shot(page, "03-search-results")
    page.get_by_role("button", name="Add Mia Hartley").click()

    page.click("#add-new-child")
    page.fill("#id_first_name", "Leo")
    page.fill("#id_last_name", "Hartley")
    born = timezone.localdate() - timedelta(days=4 * 365)
    page.fill("#id_date_of_birth_0", str(born.day))
    page.fill("#id_date_of_birth_1", str(born.month))
    page.fill("#id_date_of_birth_2", str(born.year))
    page.click("#id_sex_0")
    shot(page, "04-new-child")
    page.get_by_role("button", name="Add child to the contact").click()
    on_contact = page.locator("#children-on-contact")
    assert on_contact.get_by_role("button", name="Remove Mia Hartley").count() == 1
    assert on_contact.get_by_role("button", name="Remove Leo Hartley").count() == 1
    shot(page, "05-two-children")
    page.get_by_role("button", name="Continue").click()

    received = timezone.now().astimezone(LONDON) - timedelta(hours=1)
    page.fill("#id_received_date_0", str(received.day))
    page.fill("#id_received_date_1", str(received.month))
    page.fill("#id_received_date_2", str(received.year))
    page.fill("#id_received_time", received.strftime("%H:%M"))
    page.select_option("#id_source", label="Police")
    page.fill("#id_referrer_name", "PC Dana Webb")
    page.fill("#id_referrer_organisation", "Test Police")
    page.fill("#id_referrer_phone", "01632 960123")
    page.fill("#id_concern", "Police attended a reported argument at the family home overnight.")
    page.click("#id_consent_0")
    shot(page, "06-details")
    page.get_by_role("button", name="Continue").click()
    shot(page, "07-check-answers")
    page.get_by_role("button", name="Save contact").click()
    reference = page.locator("#contact-reference").inner_text().strip()
    assert reference.startswith("C-")
    shot(page, "08-recorded")

    # 2. She proposes no further action for both children.
    page.click("#view-contact")
    assert "Awaiting decision" in page.locator("#contact-status").inner_text()
    shot(page, "09-contact")
    page.click("#record-decisions")
    for n in (1, 2):
        page.click(f"#id_outcome_{n}_0")
        page.fill(f"#id_rationale_{n}", "Parents separated safely; school reports no concerns.")
        page.click(f"#id_level_{n}_0")
        page.click(f"#id_voice_known_{n}_0")
        page.fill(f"#id_voice_views_{n}", "Feels safe at home now dad has moved out.")
        page.click(f"#id_voice_obtained_{n}_0")
    shot(page, "10-decide")
    page.get_by_role("button", name="Send for authorisation").click()
    assert "Awaiting authorisation" in page.locator("#contact-status").inner_text()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Front door").click()
    assert reference in page.inner_text("main")
    shot(page, "11-tray")
    sign_out(page)

    # 3. A team manager authorises the decisions.
    sign_in(page, "manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Authorisations").click()
    shot(page, "12-authorisations")
    page.get_by_role("link", name=reference).click()
    shot(page, "13-authorise")
    page.get_by_role("button", name="Authorise decisions").click()
    assert f"Decisions on contact {reference} authorised" in page.inner_text("main")
    sign_out(page)

    # 4. An analyst downloads the Annex A workbook; both children are in List 1.
    sign_in(page, "analyst")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Ofsted data").click()
    shot(page, "14-annex-a")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download Annex A workbook").click()
    download = download_info.value
    assert download.suggested_filename == f"annex-a-{timezone.localdate():%Y-%m-%d}.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    sheet = openpyxl.load_workbook(saved)["List 1"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Date of Contact",
        "Contact Source",
    )
    ids = {known.council_id, Person.objects.get(first_name="Leo", last_name="Hartley").council_id}
    ours = [row for row in rows[1:] if row[0] in ids]
    assert {row[0] for row in ours} == ids
    assert all(row[6] == "q) 6: Police" for row in ours)
    assert page.csp_violations == []
    assert page.accessibility_violations == []
