"""Exporting the Annex A workbook: write it, and record who exported what (security.md R6)."""

from __future__ import annotations

import os
from datetime import date
from typing import IO, Any

from django.db import transaction

from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.performance.annex_a.lists import reporting_window
from evident.performance.annex_a.writer import WorkbookResult, annex_a_workbook_write


@transaction.atomic
def annex_a_export(
    *,
    actor: Any,
    as_of: date,
    out: str | os.PathLike[str] | IO[bytes],
    path: str = "",
    detail: dict[str, Any] | None = None,
) -> WorkbookResult:
    """Write the workbook to ``out`` and one EXPORT audit event in the same transaction,
    before the caller hands the file to anyone. ``actor`` is None for the command."""
    result = annex_a_workbook_write(as_of=as_of, out=out)
    first, last = reporting_window(as_of)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        record_type="performance.annex_a",
        record_id=as_of.isoformat(),
        section="Annex A workbook",
        path=path,
        detail={
            "as_of": as_of.isoformat(),
            "window": [first.isoformat(), last.isoformat()],
            "rows": result.rows,
            **(detail or {}),
        },
    )
    return result
