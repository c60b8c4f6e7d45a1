import tempfile
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from evident.audit.models import AuditEvent
from evident.performance.tests.conftest import london

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("annex_a", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_writes_the_workbook_and_an_export_event(tmp_path, front_door):
    front_door.contact(london(2026, 3, 2, 10, 30), front_door.child("NB1"), front_door.child("NB2"))
    target = tmp_path / "annex-a.xlsx"
    output, _ = run("--as-of", "2026-03-27", "--out", str(target))
    assert "List 1 (Contacts): 2 rows" in output
    assert "seconds" in output
    sheet = load_workbook(target)["List 1"]
    assert sheet.max_row == 3
    assert [p.name for p in tmp_path.iterdir()] == ["annex-a.xlsx"]  # no temporary file left
    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert event.actor is None
    assert event.detail["as_of"] == "2026-03-27"
    assert event.detail["rows"] == {
        "List 1": 2,
        "List 2": 0,
        "List 3": 0,
        "List 4": 0,
        "List 5": 0,
        "List 6": 0,
        "List 7": 0,
    }
    assert event.detail["out"] == str(target)


def test_command_replaces_an_existing_file(tmp_path):
    target = tmp_path / "annex-a.xlsx"
    target.write_bytes(b"old")
    run("--as-of", "2026-03-27", "--out", str(target))
    assert target.read_bytes()[:2] == b"PK"  # a zip: the new workbook


@pytest.mark.parametrize(
    "raw", ["27/03/2026", "2026-13-01", "2026-02-30", "tomorrow", "2026-3-27", ""]
)
def test_a_bad_date_is_a_clear_error(tmp_path, raw):
    with pytest.raises(CommandError, match="is not a date: give it as YYYY-MM-DD"):
        run("--as-of", raw, "--out", str(tmp_path / "a.xlsx"))
    assert not list(tmp_path.iterdir())


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("--as-of", "2026-03-27", "--out", str(tmp_path / "nowhere" / "a.xlsx"))


def test_a_folder_as_the_output_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="is a folder"):
        run("--as-of", "2026-03-27", "--out", str(tmp_path))


def test_an_unwritable_folder_is_a_clear_error(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(CommandError, match=r"Cannot write .*Permission denied"):
        run("--as-of", "2026-03-27", "--out", str(tmp_path / "a.xlsx"))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_a_failure_part_way_leaves_no_file_and_no_event(tmp_path, monkeypatch):
    from evident.performance.annex_a import services

    def fail(*, as_of, out):
        out.write(b"half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(services, "annex_a_workbook_write", fail)
    with pytest.raises(CommandError, match="No space left on device"):
        run("--as-of", "2026-03-27", "--out", str(tmp_path / "a.xlsx"))
    assert not list(tmp_path.iterdir())
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_the_evident_console_command_takes_the_hyphenated_name(tmp_path, monkeypatch):
    from evident import cli

    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.test")
    target = tmp_path / "a.xlsx"
    cli.main(["annex-a", "--as-of", date(2026, 3, 27).isoformat(), "--out", str(target)])
    assert target.exists()
