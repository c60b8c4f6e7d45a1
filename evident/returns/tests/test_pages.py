"""The census check page: who may use it, the live check and a file check."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from evident.audit.models import AuditEvent
from evident.casework.models import Assessment, Episode
from evident.people.models import Person, PersonDisability
from evident.returns.tests.conftest import YEAR

pytestmark = pytest.mark.django_db
URL = "/returns/cin-census/"


def test_url() -> None:
    assert reverse("returns:cin_census") == URL


@pytest.mark.parametrize(
    ("persona", "status"), [("analyst", 200), ("leader", 200), ("manager", 200)]
)
def test_analysts_leaders_and_managers_may_use_it(
    personas: Any, client: Client, persona: str, status: int
) -> None:
    client.force_login(personas[persona])
    response = client.get(URL)
    assert response.status_code == status
    assert b"Check our records" in response.content
    assert b"8610" in response.content  # the rules list


@pytest.mark.parametrize(
    "persona", ["partner", "socialworker", "practitioner", "lado", "admin", "nobody"]
)
def test_everyone_else_is_refused(personas: Any, client: Client, persona: str) -> None:
    client.force_login(personas[persona])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"check": "live"}).status_code == 403


def test_signed_out_is_sent_to_sign_in(client: Client, db: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_navigation_shows_it_to_analysts_only(personas: Any, client: Client) -> None:
    client.force_login(personas["analyst"])
    assert b'href="/returns/cin-census/"' in client.get("/").content
    client.force_login(personas["socialworker"])
    assert b'href="/returns/cin-census/"' not in client.get("/").content


def test_live_check_lists_each_failure_per_child_with_links(
    small_council: Any, client: Client
) -> None:
    open_episode = Episode.objects.filter(closed_on__isnull=True).select_related("person").first()
    assert open_episode is not None
    Episode.objects.filter(pk=open_episode.pk).update(primary_need="")
    person = open_episode.person
    PersonDisability.objects.filter(person=person).delete()  # a failure in the child's details
    client.force_login(small_council["analyst"])
    response = client.post(URL, {"check": "live"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Primary Need code is missing for a referral which led to further action." in page
    # Analysts pass the list on: they cannot open children's records, so no links.
    assert f'href="/people/{person.pk}/"' not in page
    client.force_login(small_council["manager"])
    page = client.post(URL, {"check": "live"}).content.decode()
    assert f'href="/people/{person.pk}/"' in page
    assert f'href="/people/{person.pk}/change/"' in page
    assert f'href="/casework/episodes/{open_episode.pk}/"' in page
    assert f'href="/casework/children/{person.pk}/chronology/"' in page
    assert AuditEvent.objects.filter(
        record_type="returns.cin_census",
        action=AuditEvent.Action.VIEW,
        actor=small_council["analyst"],
    ).exists()


def test_file_check_runs_schema_and_rules(
    small_council: Any, client: Client, tmp_path: Path
) -> None:
    out = tmp_path / "cin.xml"
    call_command("cin_census", "--year", str(YEAR), "--out", str(out), stdout=io.StringIO())
    client.force_login(small_council["leader"])
    response = client.post(
        URL, {"check": "file", "file": SimpleUploadedFile("cin.xml", out.read_bytes(), "text/xml")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="schema-valid"' in page
    assert "40 children checked" in page


def test_a_broken_file_shows_schema_errors_and_rule_failures(
    small_council: Any, client: Client, tmp_path: Path
) -> None:
    out = tmp_path / "cin.xml"
    call_command("cin_census", "--year", str(YEAR), "--out", str(out), stdout=io.StringIO())
    child = Person.objects.order_by("council_id").first()
    assert child is not None
    broken = out.read_bytes().replace(b"<Ethnicity>", b"<Ethnicity>X", 1)
    broken = broken.replace(b"<ReferralSource>", b"<ReferralSource>Z", 1)
    broken = broken.replace(b"<ReferenceDate>2026-03-31", b"<ReferenceDate>2026-03-30", 1)
    client.force_login(small_council["manager"])
    response = client.post(
        URL, {"check": "file", "file": SimpleUploadedFile("broken.xml", broken, "text/xml")}
    )
    page = response.content.decode()
    assert 'id="schema-errors"' in page
    assert "Source of Referral is missing or an invalid code" in page
    assert f'href="/people/{child.pk}/"' in page
    assert 'id="header-100"' in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cin.txt", b"<Message/>", "must be an XML file"),
        ("cin.xml", b"not xml at all", "is not a CIN census XML file"),
        ("cin.xml", b"<Message><Children/></Message>", "has no census Year or ReferenceDate"),
    ],
)
def test_bad_files_are_refused_with_a_message(
    personas: Any, client: Client, name: str, content: bytes, message: str
) -> None:
    client.force_login(personas["analyst"])
    response = client.post(URL, {"check": "file", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()


def test_no_file_chosen(personas: Any, client: Client) -> None:
    client.force_login(personas["analyst"])
    response = client.post(URL, {"check": "file"})
    assert "Choose a census XML file to check" in response.content.decode()


def test_validate_cin_command_lists_failures_per_child(small_council: Any, tmp_path: Path) -> None:
    assessment = Assessment.objects.select_related("episode__person").first()
    assert assessment is not None
    Assessment.objects.filter(pk=assessment.pk).update(factors=[])
    out = tmp_path / "cin.xml"
    call_command("cin_census", "--year", str(YEAR), "--out", str(out), stdout=io.StringIO())
    stdout = io.StringIO()
    # A query rule's warning alone does not fail the run.
    call_command("validate_cin", str(out), stdout=stdout)
    text = stdout.getvalue()
    assert "Schema: valid" in text
    assert f"Child {assessment.episode.person.council_id}" in text
    assert "8897Q (query)" in text
    assert "0 errors, 1 queries, 0 schema errors" in text


def test_validate_cin_command_clean_file(small_council: Any, tmp_path: Path) -> None:
    out = tmp_path / "cin.xml"
    call_command("cin_census", "--year", str(YEAR), "--out", str(out), stdout=io.StringIO())
    stdout = io.StringIO()
    call_command("validate_cin", str(out), stdout=stdout)
    assert "0 errors, 0 queries, 0 schema errors" in stdout.getvalue()


def test_broken_records_give_the_expected_failures(small_council: Any) -> None:
    from datetime import date

    from evident.people.models import PersonDisability
    from evident.returns.services import census_check_live

    episode = Episode.objects.filter(closed_on__isnull=True).select_related("person").first()
    assert episode is not None
    person = episode.person
    Person.objects.filter(pk=person.pk).update(upn="A000000000001", upn_unknown_reason="")
    PersonDisability.objects.filter(person=person).delete()
    Episode.objects.filter(pk=episode.pk).update(primary_need="")
    checked = census_check_live(actor=small_council["analyst"], as_of=date(YEAR, 3, 31))
    [child] = [c for c in checked.report.children if c.person_id == person.pk]
    assert sorted(f.rule.code for f in child.failures) == ["1510", "8540", "8610"]
    assert child.episode_id == episode.pk
    assert checked.report.failures == 3
