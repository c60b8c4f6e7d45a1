"""Ofsted ILACS Annex A: list definitions, the registry and the workbook writer.

Importing the package registers every defined list (``lists``)."""

from evident.performance.annex_a import casework_lists, lists  # noqa: F401  (registers the lists)
from evident.performance.annex_a.base import (
    AnnexAList,
    Column,
    Kind,
    annex_a_lists,
    field,
    register_list,
)
from evident.performance.annex_a.writer import (
    DATE_FORMAT,
    XLSX_CONTENT_TYPE,
    WorkbookResult,
    annex_a_workbook_write,
)

__all__ = [
    "DATE_FORMAT",
    "XLSX_CONTENT_TYPE",
    "AnnexAList",
    "Column",
    "Kind",
    "WorkbookResult",
    "annex_a_lists",
    "annex_a_workbook_write",
    "field",
    "register_list",
]
