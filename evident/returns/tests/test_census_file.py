"""The census file: written from the casework records, valid against the DfE schema."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from evident.audit.models import AuditEvent
from evident.casework.models import ChildProtectionPlan, Episode
from evident.people.models import Person
from evident.returns.cin_census.extract import census_children
from evident.returns.cin_census.records import CensusPeriod
from evident.returns.cin_census.xml import census_xml_read, census_xml_write, schema_check
from evident.returns.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def _write(year: int = YEAR) -> bytes:
    period = CensusPeriod.for_year(year)
    buffer = io.BytesIO()
    census_xml_write(children=census_children(period), period=period, lea="999", out=buffer)
    return buffer.getvalue()


def test_small_council_census_is_schema_valid(small_council: Any) -> None:
    data = _write()
    assert schema_check(io.BytesIO(data), year=YEAR) == []
    tree = etree.fromstring(data)
    assert tree.findtext("Header/CollectionDetails/ReferenceDate") == f"{YEAR}-03-31"
    assert tree.findtext("Header/Source/LEA") == "999"
    assert len(tree.findall("Children/Child")) == 40
    # 2025 on: Sex, not GenderCurrent.
    assert tree.find("Children/Child/ChildIdentifiers/Sex") is not None
    assert tree.find("Children/Child/ChildIdentifiers/GenderCurrent") is None
    assert tree.findall(".//ChildProtectionPlans/Reviews/CPPreviewDate")
    assert tree.findall(".//Section47/DateOfInitialCPC")
    assert tree.findall(".//Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors")


def test_earlier_year_uses_gender_current_and_its_schema(small_council: Any) -> None:
    Episode.objects.update(referral_date=date(2023, 6, 1), closed_on=None, closure_reason="")
    data = _write(2024)
    assert schema_check(io.BytesIO(data), year=2024) == []
    tree = etree.fromstring(data)
    assert {e.text for e in tree.iter("GenderCurrent")} <= {"1", "2"}


def test_who_is_in_the_census_and_dates_after_the_reference_date(small_council: Any) -> None:
    episodes = list(Episode.objects.order_by("referral_date"))
    closed_before = episodes[0]
    Episode.objects.filter(pk=closed_before.pk).update(
        referral_date=date(YEAR - 2, 5, 1), closed_on=date(YEAR - 1, 3, 31), closure_reason="RC7"
    )
    future = episodes[1]
    Episode.objects.filter(pk=future.pk).update(referral_date=date(YEAR, 4, 1))
    plan = ChildProtectionPlan.objects.filter(end_date__isnull=True).first()
    assert plan is not None
    ChildProtectionPlan.objects.filter(pk=plan.pk).update(end_date=date(YEAR, 5, 1))
    children = {c.la_child_id: c for c in census_children(CensusPeriod.for_year(YEAR))}
    assert closed_before.person.council_id not in children
    assert future.person.council_id not in children
    written_plan = next(
        p for e in children[plan.episode.person.council_id].episodes for p in e.cp_plans
    )
    assert written_plan.end_date is None  # ended after 31 March: open on the census day


def test_read_back_gives_the_same_records(small_council: Any) -> None:
    period = CensusPeriod.for_year(YEAR)
    children = census_children(period)
    buffer = io.BytesIO()
    census_xml_write(children=children, period=period, lea="999", out=buffer)
    buffer.seek(0)
    read = list(census_xml_read(buffer))
    for child in children:
        child.person_id = None
        for episode in child.episodes:
            episode.episode_id = None
    assert read == children


def test_factors_the_schema_does_not_know_are_left_out(small_council: Any) -> None:
    from evident.casework.models import Assessment

    Assessment.objects.filter(pk=Assessment.objects.first().pk).update(factors=["18A", "16A"])  # type: ignore[union-attr]
    period = CensusPeriod.for_year(YEAR)
    result = census_xml_write(
        children=census_children(period), period=period, lea="999", out=io.BytesIO()
    )
    assert result.left_out == {"AssessmentFactors: 18A is not in the schema": 1}


def test_command_writes_a_valid_file_and_audits(small_council: Any, tmp_path: Path) -> None:
    out = tmp_path / "cin.xml"
    stdout = io.StringIO()
    call_command("cin_census", "--year", str(YEAR), "--out", str(out), stdout=stdout)
    assert schema_check(out, year=YEAR) == []
    assert "40 children, 40 episodes, 01/04/2025 to 31/03/2026" in stdout.getvalue()
    assert "valid against CIN_schema_2025.xsd" in stdout.getvalue()
    event = AuditEvent.objects.get(record_type="returns.cin_census")
    assert event.action == AuditEvent.Action.EXPORT
    assert event.detail["children"] == 40


def test_command_refuses_an_invalid_census_and_leaves_no_file(
    small_council: Any, tmp_path: Path
) -> None:
    # An ethnicity code outside the DfE list (the database does not enforce choices).
    Person.objects.filter(pk=Person.objects.first().pk).update(ethnicity="XXXX")  # type: ignore[union-attr]
    out = tmp_path / "cin.xml"
    with pytest.raises(CommandError, match=r"not valid against CIN_schema_2025\.xsd"):
        call_command("cin_census", "--year", str(YEAR), "--out", str(out), stderr=io.StringIO())
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2019", "--out", "x.xml"], "give a census year from 2022"),
        (["--year", "2026", "--out", "/no/such/folder/x.xml"], "does not exist"),
    ],
)
def test_command_bad_arguments(db: Any, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("cin_census", *args)


def test_empty_year_still_needs_one_child(db: Any, tmp_path: Path) -> None:
    # The DfE schema needs at least one Child: an empty census is refused, not written.
    assert schema_check(io.BytesIO(_write()), year=YEAR)
    out = tmp_path / "cin.xml"
    with pytest.raises(CommandError, match="the DfE census needs at least one child"):
        call_command("cin_census", "--year", str(YEAR), "--out", str(out))
    assert not out.exists()


def test_schema_errors_name_the_line_and_element(small_council: Any) -> None:
    Person.objects.filter(pk=Person.objects.order_by("council_id")[2].pk).update(ethnicity="XXXX")
    [error] = schema_check(io.BytesIO(_write()), year=YEAR)
    assert error.line == 5  # declaration, Message and Header, then one line per child
    assert "/Message/Children/Child[3]/ChildCharacteristics/Ethnicity" in error.message


def test_period_as_of_today() -> None:
    assert CensusPeriod.as_of(date(2026, 11, 27)) == CensusPeriod(
        date(2026, 4, 1), date(2026, 11, 27)
    )
    assert CensusPeriod.as_of(date(2027, 2, 1)).start == date(2026, 4, 1)
    assert CensusPeriod.as_of(date(2026, 11, 27)).year == 2027
    assert CensusPeriod.for_year(2026).start + timedelta(days=364) == date(2026, 3, 31)
