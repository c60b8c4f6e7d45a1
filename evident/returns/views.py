"""The CIN census check: the DfE rules over the live records, or over an uploaded file."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from evident.accounts.policies import allow
from evident.accounts.roles import CASEWORK_ROLES, PERFORMANCE_ROLES
from evident.returns.cin_census.records import CensusPeriod
from evident.returns.cin_census.rules import RULES
from evident.returns.forms import CensusFileForm
from evident.returns.services import (
    CensusFileError,
    CheckResult,
    census_check_file,
    census_check_live,
)

# Every child in need council-wide: analysts and leaders, as for the Annex A workbook.
# Analysts and leaders run the census; team managers check their records and correct them.
CENSUS_ROLES = tuple(PERFORMANCE_ROLES)
# Children listed on the page; the counts by rule cover them all.
CHILDREN_SHOWN = 200
SCHEMA_ERRORS_SHOWN = 50


@allow(*CENSUS_ROLES)
@require_http_methods(["GET", "POST"])
def cin_census(request: HttpRequest) -> HttpResponse:
    result: CheckResult | None = None
    form = CensusFileForm()
    if request.method == "POST":
        if request.POST.get("check") == "live":
            result = census_check_live(
                actor=request.user, as_of=timezone.localdate(), path=request.get_full_path()
            )
        else:
            form = CensusFileForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    result = census_check_file(
                        actor=request.user,
                        source=upload.file,
                        name=upload.name,
                        path=request.get_full_path(),
                    )
                except CensusFileError as exc:
                    form.add_error("file", str(exc))
    today = timezone.localdate()
    return render(
        request,
        "returns/cin_census.html",
        {
            "form": form,
            "result": result,
            "children": result.report.children[:CHILDREN_SHOWN] if result else [],
            "children_shown": CHILDREN_SHOWN,
            "schema_errors": result.schema_errors[:SCHEMA_ERRORS_SHOWN] if result else [],
            "this_year": CensusPeriod.as_of(today),
            "rules": sorted(RULES, key=lambda r: (r.is_council_rule, r.code)),
            # Analysts see the list to pass on; only casework roles can open the records.
            "can_open_records": request.user.has_role(*CASEWORK_ROLES),  # type: ignore[union-attr]
        },
    )
