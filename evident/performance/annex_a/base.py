"""Annex A list definitions: one declarative ``AnnexAList`` per list, and a registry.

A definition names the sheet, the columns in the template's order (heading, kind, how to
get the value from a row, the code -> label map, whether blank is allowed) and the
selector that returns the list's rows for an as-of date. The writer does the rest, so
Lists 2-11 are new definitions, not new code paths.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

Row = Mapping[str, Any]


class Kind(enum.StrEnum):
    DATE = "date"  # a real Excel date shown DD/MM/YYYY
    TEXT = "text"
    INTEGER = "integer"
    CODE = "code"  # stored code written as the template's label, e.g. "q) 6: Police"


def field(name: str) -> Callable[[Row, date], Any]:
    """A column whose value is one key of the row."""

    def value(row: Row, as_of: date) -> Any:
        return row[name]

    value.__name__ = f"field_{name}"
    return value


@dataclass(frozen=True)
class Column:
    heading: str
    kind: Kind
    value: Callable[[Row, date], Any]  # (row, as-of date) -> stored value
    labels: Mapping[str, str] | None = None  # for CODE columns
    blank_ok: bool = False
    width: int = 18  # characters, for people opening the workbook

    def __post_init__(self) -> None:
        if (self.kind is Kind.CODE) != (self.labels is not None):
            raise ValueError(f"{self.heading}: code columns, and only they, need a label map")


@dataclass(frozen=True)
class AnnexAList:
    number: int
    sheet: str  # the worksheet name in the template, "List 1"
    title: str
    population: str  # plain English: who is on the list, and the exact window
    columns: tuple[Column, ...]
    rows: Callable[[date], Iterable[Row]]  # as-of date -> rows in output order

    @property
    def headings(self) -> list[str]:
        return [column.heading for column in self.columns]


_LISTS: dict[int, AnnexAList] = {}


def register_list(definition: AnnexAList) -> AnnexAList:
    if definition.number in _LISTS:
        raise ValueError(f"Annex A list {definition.number} is already defined")
    headings = definition.headings
    if len(set(headings)) != len(headings):
        raise ValueError(f"{definition.sheet} repeats a column heading")
    _LISTS[definition.number] = definition
    return definition


def annex_a_lists() -> list[AnnexAList]:
    """Every defined list, in list order."""
    return [_LISTS[number] for number in sorted(_LISTS)]
