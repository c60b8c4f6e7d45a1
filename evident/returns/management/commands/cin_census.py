"""``evident cin-census --year 2026 --out cin-2026.xml``: the DfE Children in Need census
for the year ending 31 March 2026, checked against the DfE schema for that year.

The file is written beside ``--out`` and renamed into place only when complete and
schema-valid, so ``--out`` never holds a half-written or invalid file.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evident.returns.cin_census.records import FIRST_YEAR
from evident.returns.cin_census.xml import schema_check, schema_path
from evident.returns.services import census_export


def _check_destination(out: Path) -> None:
    if out.is_dir():
        raise CommandError(f"--out {out} is a folder: give a file name, like {out / 'cin.xml'}")
    if not out.parent.is_dir():
        raise CommandError(f"Cannot write {out}: the folder {out.parent} does not exist")
    if not os.access(out.parent, os.W_OK):
        raise CommandError(f"Cannot write {out}: the folder {out.parent} is not writable")


class Command(BaseCommand):
    help = "Write the DfE Children in Need census XML for the year ending 31 March YEAR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", required=True, type=int, help="The census year: the year of its 31 March"
        )
        parser.add_argument("--out", required=True, help="The .xml file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if year < FIRST_YEAR or year > 2100:
            raise CommandError(f"--year {year}: give a census year from {FIRST_YEAR}, like 2026")
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
                period, result, seconds = census_export(
                    actor=None,
                    year=year,
                    out=stream,
                    detail={
                        "via": "evident cin-census",
                        "os_user": getpass.getuser(),
                        "out": str(out),
                    },
                )
            if result.children == 0:
                raise CommandError(
                    f"No child had an episode open between {period.start:%d/%m/%Y} and "
                    f"{period.reference_date:%d/%m/%Y}: the DfE census needs at least one child, "
                    f"so {out} was not written"
                )
            errors = schema_check(temporary, year=year)
            if errors:
                for error in errors[:20]:
                    self.stderr.write(f"  line {error.line}: {error.message}")
                raise CommandError(
                    f"The census for {year} is not valid against {schema_path(year).name} "
                    f"({len(errors)} errors): {out} was not written"
                )
            os.replace(temporary, out)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror or exc}") from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)

        for problem, count in sorted(result.left_out.items()):
            self.stderr.write(f"  left out {problem}: {count}")
        self.stdout.write(
            f"{result.children} children, {result.episodes} episodes, "
            f"{period.start:%d/%m/%Y} to {period.reference_date:%d/%m/%Y}; "
            f"valid against {schema_path(year).name}"
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote {out} in {seconds:.2f} seconds"))
