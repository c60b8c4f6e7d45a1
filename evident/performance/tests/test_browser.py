"""The indicator chart draws in a real browser under the Content Security Policy."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from evident.performance.periods import add_months, month_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_indicator_chart_draws_with_no_csp_violations(live_server, browser, personas, front_door):
    first = add_months(month_of(timezone.now()), -1)
    received = timezone.make_aware(datetime(first.year, first.month, 10, 9, 0))
    front_door.contact(received, front_door.child(), authorised_at=received + timedelta(hours=1))
    client = Client()
    client.force_login(personas["analyst"])
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/performance/indicators/contact-decisions-on-time/")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas')) !== undefined"
    )
    bars = page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas')).data.datasets[0].data"
    )
    assert len(bars) == 13
    assert bars[-2] == 100
    assert problems == []
    context.close()


def test_englands_figure_draws_as_a_reference_line(live_server, browser, personas):
    client = Client()
    client.force_login(personas["analyst"])
    context = browser.new_context(viewport={"width": 1100, "height": 1400})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/performance/indicators/re-referrals-12-months/")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas')) !== undefined"
    )
    labels = page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas')).data.datasets.map(d => d.label)"
    )
    assert "England: 22.6% (DfE, 2025)" in labels
    assert page.get_by_role("row", name="England, 2025 (DfE)").is_visible()
    page.screenshot(path="var/screenshots/indicator-england-line.png", full_page=True)
    assert problems == []
    context.close()
