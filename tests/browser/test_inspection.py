"""Inspection and improvement in headless Chromium: a senior leader records a notification,
works through the checklist and checks the frozen Annex A; records an inspection's
findings; builds plan actions from them; produces the board pack (page and PDF); and writes
a self-evaluation paragraph citing a live indicator. Every page is checked with axe-core
and for CSP violations; screenshots and the PDF's pages land in var/screenshots/."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from evident.inspection import services
from evident.inspection.models import Action, Activity, AnnexAFreeze, Finding, Judgement
from tests.browser.test_contact_to_annex_a import SHOTS, page, shot, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_date(browser_page, field: str, day: date) -> None:
    browser_page.fill(f"#id_{field}_0", str(day.day))
    browser_page.fill(f"#id_{field}_1", str(day.month))
    browser_page.fill(f"#id_{field}_2", str(day.year))


def test_notification_findings_plan_pack_and_self_evaluation(page, personas, tmp_path):  # noqa: F811
    leader = personas["leader"]
    today = timezone.localdate()
    last = services.activity_create(
        actor=leader,
        kind="standard",
        starts_on=date(2024, 5, 13),
        ends_on=date(2024, 5, 24),
    )
    services.target_save(
        actor=leader,
        indicator_code="contact-decisions-on-time",
        target=Decimal(90),
        tolerance=Decimal(5),
        england=None,
    )

    # 1. Notification day: countdown, checklist, frozen Annex A.
    sign_in(page, "leader")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Inspection").click()
    shot(page, "inspection-01-timeline")
    page.get_by_role("link", name="Record a notification").click()
    page.get_by_label("Short inspection").check()
    _fill_date(page, "notified_on", today)
    _fill_date(page, "starts_on", today - timedelta(days=1))
    page.get_by_role("button", name="Record notification").click()
    assert page.locator(".govuk-error-summary").count() == 1
    shot(page, "inspection-02-notification-error")
    page.fill("#id_starts_on_0", "")
    page.fill("#id_starts_on_1", "")
    page.fill("#id_starts_on_2", "")
    page.get_by_role("button", name="Record notification").click()
    page.wait_for_url("**/inspection/activities/*/")
    assert "working days to go" in page.locator(".evident-countdown").inner_text()
    notified = Activity.objects.get(notified_on=today)
    for title in ("Annex A produced and checked", "Self-evaluation current and shared"):
        page.get_by_role("button", name=f"Tick {title}").click()
        page.wait_for_load_state()
    assert notified.checklist.filter(done_at__isnull=False).count() == 2
    freeze = AnnexAFreeze.objects.get(activity=notified)
    assert freeze.sha256 in page.content()
    shot(page, "inspection-03-notified")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the frozen Annex A").click()
    saved = tmp_path / "annex-a.xlsx"
    info.value.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == freeze.sha256

    # 2. Findings of the last inspection: a nonsense date first.
    page.goto(page.base + f"/inspection/activities/{last.pk}/findings/")
    page.select_option("#id_judgement_overall", "3")
    page.select_option("#id_judgement_leaders", "3")
    page.select_option("#id_judgement_care_leavers", "2")
    _fill_date(page, "published_on", date(2024, 5, 1))
    page.fill("#id_recommendations", "Timeliness of assessments\nSupervision that drives plans")
    page.fill("#id_priority_actions", "Strategy discussions are not held promptly")
    page.get_by_role("button", name="Save findings").click()
    assert "before the inspection started" in page.locator(".govuk-error-summary").inner_text()
    shot(page, "inspection-04-findings-error")
    _fill_date(page, "published_on", date(2024, 7, 4))
    page.get_by_role("button", name="Save findings").click()
    page.wait_for_url(f"**/inspection/activities/{last.pk}/")
    assert Judgement.objects.filter(activity=last).count() == 3
    shot(page, "inspection-05-findings")

    # 3. The plan: a priority answering the findings, an action with live evidence.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Improvement plan").click()
    page.get_by_role("link", name="Add a priority").click()
    page.fill("#id_title", "Timely help and protection")
    page.get_by_label("Strategy discussions are not held promptly").check()
    page.get_by_label("Timeliness of assessments").check()
    page.get_by_role("button", name="Add priority").click()
    page.get_by_role("link", name="Add an action to Timely help and protection").click()
    page.fill("#id_title", "Strategy discussions within 1 working day")
    page.fill("#id_owner", "Assistant director")
    _fill_date(page, "due_on", today - timedelta(days=1))
    page.get_by_role("button", name="Add action").click()
    assert "on or after the date it was set" in page.locator(".govuk-error-summary").inner_text()
    _fill_date(page, "due_on", today + timedelta(days=10))
    page.get_by_role("button", name="Add action").click()
    page.wait_for_url("**/inspection/plan/actions/*/")
    action = Action.objects.get()
    assert set(action.findings.values_list("kind", flat=True)) == {
        Finding.Kind.PRIORITY_ACTION,
        Finding.Kind.RECOMMENDATION,
    }
    page.select_option("#id_indicator_code", "contact-decisions-on-time")
    page.get_by_role("button", name="Link evidence").click()
    page.wait_for_load_state()
    assert page.locator("svg.evident-svg-chart").count() == 1
    page.fill("#id_text", "Agreed the standard with the police.")
    page.get_by_role("button", name="Add update").click()
    page.wait_for_load_state()
    shot(page, "inspection-06-action")
    page.goto(page.base + "/inspection/plan/")
    shot(page, "inspection-07-plan")

    # 4. The Improvement Board's pack, as a page and as a PDF.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Boards").click()
    page.fill("#id_name", "Children's Services Improvement Board")
    page.select_option("#id_kind", "improvement")
    page.get_by_role("button", name="Add board").click()
    _fill_date(page, "held_on", today)
    page.fill("#id_agenda", "Plan progress\nIndicators")
    page.get_by_role("button", name="Record meeting").click()
    page.wait_for_url("**/inspection/meetings/*/")
    meeting_url = page.url
    page.get_by_role("link", name="Board pack", exact=True).click()
    assert "Strategy discussions within 1 working day" in page.content()
    assert page.locator("svg.evident-svg-chart").count() == 1
    shot(page, "inspection-08-pack")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as PDF").click()
    pdf = tmp_path / "pack.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 (a fixed tool on our own file)
        [
            "/usr/bin/pdftoppm",
            "-png",
            "-r",
            "60",
            str(pdf),
            str(SHOTS / "journey-inspection-09-pack-pdf"),
        ],
        check=True,
    )

    # The board sets an action, and the pack it read is issued and kept.
    page.goto(meeting_url)
    page.fill("#id_text", "Bring a recovery plan for each red action")
    page.fill("#id_owner", "Assistant director, safeguarding")
    _fill_date(page, "due_on", today + timedelta(days=28))
    page.get_by_role("button", name="Add action").click()
    page.wait_for_url(meeting_url)
    page.get_by_role("button", name="Issue the pack to this meeting").click()
    page.wait_for_url(meeting_url)
    assert "Board pack issued" in page.content()
    assert page.get_by_role("link", name="Bring a recovery plan for each red action").count() == 1
    shot(page, "inspection-09b-meeting")

    # 5. A self-evaluation paragraph that cites a live indicator.
    page.goto(page.base + "/inspection/self-evaluation/")
    page.get_by_role("button", name="Write or continue").click()
    page.fill(
        "#id_leaders__know",
        "Leaders know the front door is getting faster: [indicator:contact-decisions-on-time].",
    )
    page.get_by_role("button", name="Save a new version").click()
    page.wait_for_url("**/self-evaluation/versions/*/")
    citation = page.locator(".evident-citation").first.inner_text()
    assert "Contacts with a decision within 1 working day" in citation
    assert "target 90.0%" in citation
    shot(page, "inspection-10-self-evaluation")

    assert page.csp_violations == []
    assert page.accessibility_violations == []
