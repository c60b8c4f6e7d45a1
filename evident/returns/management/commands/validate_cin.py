"""``evident validate-cin FILE.xml``: check a CIN census file against the DfE schema for its
year and the validation rules, listing each failure per child. Exits 1 when anything
failed (a query rule's warning alone does not fail the run)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evident.returns.services import CensusFileError, census_check_file


class Command(BaseCommand):
    help = "Check a CIN census XML file: the DfE schema, then the validation rules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The census .xml file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]).expanduser()
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        try:
            with path.open("rb") as stream:
                checked = census_check_file(actor=None, source=stream, name=path.name)
        except CensusFileError as exc:
            raise CommandError(str(exc)) from exc
        report = checked.report
        period = report.period
        self.stdout.write(
            f"{path.name}: census year {period.start:%d/%m/%Y} to {period.reference_date:%d/%m/%Y}, "
            f"{report.children_checked} children"
        )
        if checked.schema_errors:
            self.stdout.write(f"Schema: {len(checked.schema_errors)} errors")
            for error in checked.schema_errors:
                self.stdout.write(f"  line {error.line}: {error.message}")
        else:
            self.stdout.write("Schema: valid")
        errors = 0
        for failure in report.header_failures:
            errors += 0 if failure.rule.query else 1
            self.stdout.write(f"Header: {failure.rule.code} {failure.rule.message}")
        for child in report.children:
            self.stdout.write(f"Child {child.la_child_id or '(no LA child ID)'}")
            for failure in child.failures:
                rule = failure.rule
                kind = "query" if rule.query else "error"
                errors += 0 if rule.query else 1
                self.stdout.write(f"  {rule.code} ({kind}) {failure.where}: {rule.message}")
        for rule, count in report.rule_counts():
            self.stdout.write(f"{rule.code}: {count} failing: {rule.message}")
        summary = (
            f"{errors} errors, {report.failures - errors} queries, "
            f"{len(checked.schema_errors)} schema errors"
        )
        if errors or checked.schema_errors:
            self.stdout.write(self.style.ERROR(summary))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(summary))
