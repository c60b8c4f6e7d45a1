"""``evident annex-a --as-of 2026-03-27 --out annex-a.xlsx``: the Ofsted Annex A workbook.

The workbook is written to a temporary file beside ``--out`` and renamed into place only
when complete, so ``--out`` never holds a half-written file.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evident.performance.annex_a.services import annex_a_export


def _parse_as_of(raw: str) -> date:
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            f"--as-of {raw!r} is not a date: give it as YYYY-MM-DD, like 2026-03-27"
        ) from None


def _check_destination(out: Path) -> None:
    folder = out.parent
    if out.is_dir():
        raise CommandError(
            f"--out {out} is a folder: give a file name, like {out / 'annex-a.xlsx'}"
        )
    if not folder.is_dir():
        raise CommandError(f"Cannot write {out}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise CommandError(f"Cannot write {out}: the folder {folder} is not writable")


class Command(BaseCommand):
    help = "Write the Ofsted Annex A workbook (every list defined so far) for an as-of date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            required=True,
            help="The inspection date the lists count back from (YYYY-MM-DD)",
        )
        parser.add_argument("--out", required=True, help="The .xlsx file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _parse_as_of(options["as_of"])
        out = Path(options["out"]).expanduser().absolute()
        _check_destination(out)
        try:
            handle, temporary = tempfile.mkstemp(
                prefix=f".{out.name}.", suffix=".part", dir=out.parent
            )
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror}") from exc
        try:
            with os.fdopen(handle, "wb") as stream:
                result = annex_a_export(
                    actor=None,
                    as_of=as_of,
                    out=stream,
                    detail={
                        "via": "evident annex-a",
                        "os_user": getpass.getuser(),
                        "out": str(out),
                    },
                )
            os.replace(temporary, out)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror or exc}") from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)

        for sheet in result.sheets:
            rows = f"{sheet.rows} row{'' if sheet.rows == 1 else 's'}"
            self.stdout.write(f"{sheet.sheet} ({sheet.title}): {rows}")
            for problem, cells in sorted(sheet.problems.items()):
                self.stderr.write(f"  {problem}: {cells} cells")
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {out} for {as_of:%d/%m/%Y} in {result.seconds:.2f} seconds")
        )
