"""The workbook writer on a made-up definition: every kind of cell reads back as written."""

import io
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from evident.performance.annex_a.base import AnnexAList, Column, Kind, field
from evident.performance.annex_a.writer import annex_a_workbook_write

ROWS: list[dict[str, Any]] = [
    {"name": "O'Brien & <Sons> \x07bell ", "age": -1, "born": date(2016, 2, 29), "code": "x"},
    {"name": None, "age": 7, "born": None, "code": "zz"},
]

DEMO = AnnexAList(
    number=99,
    sheet="List 99",
    title="Writer test",
    population="Two made-up rows",
    columns=(
        Column("Name", Kind.TEXT, field("name"), blank_ok=True, width=20),
        Column("Age", Kind.INTEGER, field("age"), width=8),
        Column("Born", Kind.DATE, field("born"), blank_ok=True, width=12),
        Column("Code", Kind.CODE, field("code"), labels={"x": "a) Ex"}),
    ),
    rows=lambda as_of: ROWS,
)
EMPTY = AnnexAList(
    number=98,
    sheet="List 98",
    title="Empty",
    population="No one",
    columns=DEMO.columns[:1],
    rows=lambda as_of: [],
)


def test_cells_read_back_as_text_numbers_dates_and_labels():
    out = io.BytesIO()
    result = annex_a_workbook_write(as_of=date(2026, 11, 27), out=out, lists=[DEMO, EMPTY])
    assert result.rows == {"List 99": 2, "List 98": 0}
    # An unlabelled code is written as stored, and counted as a problem to report.
    assert result.sheets[0].problems == {"Code: no label for 'zz'": 1}

    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["List 99", "List 98"]
    read: Any = book["List 99"]
    assert [c.value for c in read[1]] == ["Name", "Age", "Born", "Code"]
    assert read["A1"].font.bold
    assert read["A2"].value == "O'Brien & <Sons> bell "  # control character dropped, space kept
    assert read["B2"].value == -1
    assert read["C2"].value == datetime(2016, 2, 29)
    assert read["C2"].number_format == "DD/MM/YYYY"
    assert read["D2"].value == "a) Ex"
    assert (read["A3"].value, read["B3"].value, read["C3"].value, read["D3"].value) == (
        None,
        7,
        None,
        "zz",
    )
    assert read.freeze_panes == "A2"
    assert round(read.column_dimensions["A"].width) in (20, 21)
    assert book["List 98"].max_row == 1
