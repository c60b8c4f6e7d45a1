import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evident.audit.models import AuditEvent
from evident.performance.annex_a import XLSX_CONTENT_TYPE
from evident.performance.tests.conftest import london

pytestmark = pytest.mark.django_db

URL = "/performance/annex-a/"


def date_post(day: date) -> dict[str, str]:
    return {"as_of_day": str(day.day), "as_of_month": str(day.month), "as_of_year": str(day.year)}


def exports() -> Any:
    return AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)


def test_url_name_is_the_one_the_navigation_links():
    assert reverse("performance:annex_a") == URL


def test_analyst_sees_the_form_with_today_as_the_default(client, personas):
    client.force_login(personas["analyst"])
    page = client.get(URL).content.decode()
    today = timezone.localdate()
    assert "Download Annex A workbook" in page
    assert f'name="as_of_year" value="{today.year}"' in page
    assert "novalidate" in page
    assert "List 1: Contacts" in page
    assert "List 6: Children in need" in page
    assert "List 7: Child protection" in page


@pytest.mark.parametrize("persona", ["analyst", "leader"])
def test_download_is_an_xlsx_attachment_with_one_export_event(
    client, personas, persona, front_door
):
    day = timezone.localdate() - timedelta(days=3)
    received = timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))
    front_door.contact(received, front_door.child("NB-1"), front_door.child("NB-2"))
    user = personas[persona]
    client.force_login(user)
    response = client.post(URL, date_post(timezone.localdate()))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="annex-a-{timezone.localdate().isoformat()}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content))["List 1"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["NB-1", "NB-2"]
    [event] = exports()
    assert event.actor == user
    assert event.record_type == "performance.annex_a"
    assert event.detail["as_of"] == timezone.localdate().isoformat()
    assert event.detail["rows"] == {
        "List 1": 2,
        "List 2": 0,
        "List 3": 0,
        "List 4": 0,
        "List 5": 0,
        "List 6": 0,
        "List 7": 0,
    }
    assert event.path == URL


def test_each_download_is_its_own_event(client, personas):
    client.force_login(personas["analyst"])
    client.post(URL, date_post(date(2025, 1, 31)))
    client.post(URL, date_post(date(2025, 1, 31)))
    assert exports().count() == 2


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        (
            lambda: date_post(timezone.localdate() + timedelta(days=1)),
            "must be today or in the past",
        ),
        (lambda: date_post(date(1999, 12, 31)), "must be in 2000 or later"),
        (
            lambda: {"as_of_day": "31", "as_of_month": "2", "as_of_year": "2025"},
            "must be a real date",
        ),
        (lambda: {"as_of_day": "", "as_of_month": "", "as_of_year": ""}, "Enter the as-of date"),
        (
            lambda: {"as_of_day": "3", "as_of_month": "", "as_of_year": "2025"},
            "must include a month",
        ),
    ],
)
def test_bad_dates_are_refused_with_a_clear_error_and_nothing_exported(
    client, personas, posted, message
):
    client.force_login(personas["analyst"])
    data = posted()
    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "There is a problem" in page
    assert message in page
    if data["as_of_year"]:
        assert f'value="{data["as_of_year"]}"' in page  # the user's input is kept
    assert not exports().exists()


@pytest.mark.parametrize(
    "persona", ["manager", "practitioner", "socialworker", "partner", "lado", "admin", "nobody"]
)
def test_other_roles_cannot_download(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(URL).status_code == 403
    assert client.post(URL, date_post(date(2025, 1, 31))).status_code == 403
    assert not exports().exists()


def test_signed_out_visitor_is_sent_to_sign_in(client):
    for response in (client.get(URL), client.post(URL, date_post(date(2025, 1, 31)))):
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    assert not exports().exists()


def test_export_writes_the_dates_in_the_window_only(client, personas, front_door):
    front_door.contact(london(2024, 12, 31, 9, 0), front_door.child("IN"))
    front_door.contact(london(2025, 2, 1, 9, 0), front_door.child("AFTER"))
    client.force_login(personas["leader"])
    response = client.post(URL, date_post(date(2025, 1, 31)))
    sheet = load_workbook(io.BytesIO(response.content))["List 1"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["IN"]
