"""The LADO's pages and the portal's question flow, through HTTP."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evident.lado import services
from evident.lado.models import LadoMeeting, LadoReferral, LadoRetentionRule
from evident.people.models import Person

pytestmark = pytest.mark.django_db


def _referral_post(**overrides):
    now = timezone.localtime() - timedelta(minutes=5)
    data = {
        "kind": "referral",
        "source": "public",
        "referrer_name": "A parent",
        "received_on_day": now.day,
        "received_on_month": now.month,
        "received_on_year": now.year,
        "received_time": now.strftime("%H:%M"),
        "adult_first_name": "Jon",
        "adult_last_name": "Carter",
        "adult_role": "Swimming coach",
        "employer": "Northtown Swimming Club",
        "sector": "sport",
        "regulated_activity": "yes",
        "category": "sexual",
        "allegation": "Inappropriate messages to a 14-year-old swimmer.",
        "children": "Mia Lane, 3/4/2011",
        "child_council_ids": "",
    }
    data.update(overrides)
    return data


def test_the_lado_records_a_referral_and_it_joins_the_tray(client, personas):
    child = Person.objects.create(council_id="C77", first_name="Zoe", last_name="Lane")
    client.force_login(personas["lado"])
    assert client.get(reverse("lado:referral_new")).status_code == 200
    response = client.post(reverse("lado:referral_new"), _referral_post(child_council_ids="c77"))
    referral = LadoReferral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("lado:referral", args=[referral.pk])
    assert [c.name for c in referral.children.all()] == ["Zoe Lane", "Mia Lane"]
    assert referral.children.first().person == child  # type: ignore[union-attr]
    tray = client.get(reverse("lado:tray"))
    assert referral.reference.encode() in tray.content
    assert b"On track" in tray.content or b"Due soon" in tray.content
    # Filters: a sector with nothing open shows nothing.
    assert (
        referral.reference.encode()
        not in client.get(reverse("lado:tray"), {"sector": "health"}).content
    )


def test_bad_input_gives_field_named_errors_and_saves_nothing(client, personas):
    client.force_login(personas["lado"])
    response = client.post(
        reverse("lado:referral_new"),
        _referral_post(
            adult_last_name="",
            received_time="25:00",
            children="Mia Lane, 31/2/2011",
            child_council_ids="NOPE1",
            sector="",
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    for message in (
        "Enter the adult&#x27;s last name",
        "Enter the time received as hours and minutes",
        "Line 1: the date of birth must be a real date",
        "No child has the council ID NOPE1",
        "Select the sector",
    ):
        assert message in body
    assert LadoReferral.objects.count() == 0


def test_consider_meet_and_conclude_through_the_pages(client, personas, record_referral):
    referral = record_referral()
    client.force_login(personas["lado"])
    # A meeting before the consideration is refused with the reason.
    today = timezone.localdate()
    meeting_data = {
        "kind": "initial",
        "held_on_day": today.day,
        "held_on_month": today.month,
        "held_on_year": today.year,
        "attendees": "Sam Patel, Northtown Police\nDana Head, Northtown Academy",
        "decisions": "Police strategy; school to suspend.",
        "owner_police_investigation": "DC Patel",
        "owner_suspension": "Dana Head",
    }
    response = client.post(reverse("lado:meeting_new", args=[referral.pk]), meeting_data)
    assert b"Record the initial consideration before recording a meeting" in response.content
    response = client.post(
        reverse("lado:consider", args=[referral.pk]),
        {"decision": "met", "rationale": ""},
    )
    assert b"Enter the rationale for the decision" in response.content
    response = client.post(
        reverse("lado:consider", args=[referral.pk]),
        {"decision": "met", "limbs": ["harmed_child"], "rationale": "Injury to a pupil."},
    )
    assert response.status_code == 302
    bad = dict(meeting_data, attendees="Sam Patel")
    response = client.post(reverse("lado:meeting_new", args=[referral.pk]), bad)
    assert b"Line 1: give the name, then a comma and the agency" in response.content
    response = client.post(reverse("lado:meeting_new", args=[referral.pk]), meeting_data)
    assert response.status_code == 302
    meeting = LadoMeeting.objects.get()
    assert [(a.agency, a.name) for a in meeting.attendees.all()] == [
        ("Northtown Academy", "Dana Head"),
        ("Northtown Police", "Sam Patel"),
    ]
    assert meeting.actions.count() == 2
    response = client.post(
        reverse("lado:outcome", args=[referral.pk]),
        {
            "outcome": "substantiated",
            "concluded_on_day": today.day,
            "concluded_on_month": today.month,
            "concluded_on_year": today.year,
            "followed_by": ["dismissal", "dbs", "tra"],
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("lado:referral", args=[referral.pk])).content.decode()
    assert "Substantiated" in page
    assert "Referral to the Teaching Regulation Agency" in page
    assert "Due for review or destruction on 14 May 2082" in page
    # Concluded records leave the tray.
    assert referral.reference not in client.get(reverse("lado:tray")).content.decode()


def test_legal_hold_and_the_retention_page(client, personas, record_referral):
    referral = record_referral()
    services.consideration_record(
        actor=personas["lado"],
        referral=referral,
        decision="not_met",
        limbs=[],
        rationale="Conduct outside the harm test.",
    )
    LadoReferral.objects.filter(pk=referral.pk).update(review_on=timezone.localdate())
    client.force_login(personas["lado"])
    page = client.get(reverse("lado:retention")).content.decode()
    assert referral.reference in page
    assert "100 years from the adult&#x27;s date of birth" in page
    client.post(reverse("lado:legal_hold", args=[referral.pk]), {"reason": "Police inquiry"})
    referral.refresh_from_db()
    assert referral.legal_hold
    assert referral.legal_hold_reason == "Police inquiry"
    assert "Held" in client.get(reverse("lado:retention")).content.decode()
    rule = LadoRetentionRule.objects.get(applies_to="advice")
    response = client.post(
        reverse("lado:retention_rule", args=[rule.pk]), {"basis": "closure", "years": "0"}
    )
    assert b"Years must be between 1 and 150" in response.content
    client.post(reverse("lado:retention_rule", args=[rule.pk]), {"basis": "closure", "years": "7"})
    rule.refresh_from_db()
    assert rule.years == 7


def test_the_portal_flow_sends_a_referral_the_lado_sees(client, personas):
    partner = personas["partner"]
    client.force_login(partner)
    assert client.get(reverse("lado_portal:portal_adult")).status_code == 302  # no draft yet
    client.post(reverse("lado_portal:portal_start"))
    response = client.post(reverse("lado_portal:portal_adult"), {"adult_first_name": "Kim"})
    assert b"Enter the adult&#x27;s last name" in response.content
    client.post(
        reverse("lado_portal:portal_adult"),
        {
            "adult_first_name": "Kim",
            "adult_last_name": "Doyle",
            "adult_role": "Custody officer",
            "employer": "Test Police",
            "sector": "police",
            "regulated_activity": "no",
        },
    )
    # Jumping ahead to check sends the partner back to the first question left.
    assert client.get(reverse("lado_portal:portal_check"))["Location"] == reverse(
        "lado_portal:portal_allegation"
    )
    client.post(
        reverse("lado_portal:portal_allegation"),
        {
            "category": "emotional",
            "allegation": "Shouted at and belittled a 15-year-old.",
            "children": "Tia Moss",
        },
    )
    client.post(
        reverse("lado_portal:portal_referrer"),
        {"referrer_name": "Insp Reid", "referrer_contact": "reid@police.example"},
    )
    check = client.get(reverse("lado_portal:portal_check"))
    assert b"Kim Doyle" in check.content
    assert b"Tia Moss" in check.content
    response = client.post(reverse("lado_portal:portal_check"))
    referral = LadoReferral.objects.get()
    assert response["Location"] == reverse("lado_portal:portal_detail", args=[referral.pk])
    assert referral.submitting_organisation == partner.organisation
    assert referral.source == "employer"
    assert referral.recorded_by is None
    assert b"awaiting the LADO" in client.get(response["Location"]).content
    # The draft is gone: sending twice does not make a second referral.
    client.post(reverse("lado_portal:portal_check"))
    assert LadoReferral.objects.count() == 1
    client.force_login(personas["lado"])
    assert referral.reference.encode() in client.get(reverse("lado:tray")).content


def test_the_annual_report_page_pdf_and_workbook_agree(client, personas, record_referral):
    import openpyxl

    record_referral()
    record_referral(sector="health", adult_first_name="Ann")
    client.force_login(personas["lado"])
    page = client.get(reverse("lado:report")).content.decode()
    assert 'id="chart-sector"' in page
    assert "<canvas" in page
    assert "Contacts to the LADO (all)" in page
    pdf = client.get(reverse("lado:report_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("lado:report_xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=4, values_only=True)}
    assert summary["Contacts to the LADO (all)"] == 2
    sectors = {row[0]: row[1] for row in book["Sector"].iter_rows(min_row=4, values_only=True)}
    assert sectors["Education"] == 1
    assert sectors["Health"] == 1
    # A silly year falls back to the current one, never a 500.
    assert client.get(reverse("lado:report"), {"year": "abc"}).status_code == 200


def test_unknown_ids_are_404_not_500(client, personas):
    client.force_login(personas["lado"])
    assert client.get("/lado/referrals/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/lado/retention/rules/999999/").status_code == 404


def test_a_new_referral_about_a_known_adult_flags_repeat_concerns(
    client, personas, record_referral
):
    earlier = record_referral(
        adult_first_name="Jonathan", adult_last_name="Carter", employer="St Anne's Primary"
    )
    client.force_login(personas["lado"])
    response = client.post(reverse("lado:referral_new"), _referral_post(), follow=True)
    body = response.content.decode()
    assert "1 earlier record may be about the same adult" in body
    assert earlier.reference in body
    assert "First name" in body or "Jon" in body  # the evidence is shown
