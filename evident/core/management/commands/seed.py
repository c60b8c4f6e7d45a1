"""``evident seed``: build the synthetic council (fictional people, contacts and decisions).

    evident seed --children 30000 --months 12 --seed 1 [--until 2026-03-31] [--if-empty]

The same seed and --until give the same council, row for row. All or nothing: one
transaction. Refuses a database that already has people (two councils must never mix);
--if-empty turns that refusal into a quiet "nothing to do", for ``make demo``.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evident.people.models import Person
from evident.synthetic.council import CouncilNotEmptyError, describe, seed_council


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"--until must be a date like 2026-03-31, not {raw!r}") from exc


class Command(BaseCommand):
    help = "Build the synthetic council: children, families, contacts and decisions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=30_000, help="children aged 0-17")
        parser.add_argument("--months", type=int, default=12, help="months of records")
        parser.add_argument("--seed", type=int, default=1, help="the random seed")
        parser.add_argument(
            "--until", default=None, help="the last day of records, YYYY-MM-DD (default today)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and say so) when the database already has people",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        until = _day(options["until"]) if options["until"] else None
        if options["if_empty"] and Person.objects.exists():
            self.stdout.write("The database already has people: nothing seeded (--if-empty).")
            return
        # The progress bars go to the real stderr stream (Django's wrapper would add a line
        # break to every redraw); --verbosity 0 hides them.
        progress = None
        if options["verbosity"] > 0:
            progress = getattr(self.stderr, "_out", sys.stderr)
        try:
            result = seed_council(
                children=options["children"],
                months=options["months"],
                seed=options["seed"],
                until=until,
                progress=progress,
            )
        except CouncilNotEmptyError as exc:
            if options["if_empty"]:  # someone seeded in between
                self.stdout.write("The database already has people: nothing seeded (--if-empty).")
                return
            raise CommandError(str(exc)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for line in describe(result):
            self.stdout.write(line)
