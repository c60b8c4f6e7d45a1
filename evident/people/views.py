"""People pages: find a person, their record, add a person, and who has viewed a record.

Views stay thin: the services fetch within the user's scope and audit before returning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from evident.accounts.policies import allow
from evident.accounts.roles import Role
from evident.audit.models import AuditEvent
from evident.people import merging, services
from evident.people.forms import (
    MergeFindForm,
    MergeForm,
    MergeUndoForm,
    PersonDetailsForm,
    PersonForm,
    PersonSearchForm,
)
from evident.people.identifiers import format_nhs_number
from evident.people.models import Person, PersonMerge
from evident.people.selectors import current_address_of, person_get_for_user

RESULTS_SHOWN = 50


@dataclass(frozen=True)
class SearchRow:
    person: Person
    age: int | None
    nhs_number: str
    postcode: str


@dataclass(frozen=True)
class AccessRow:
    occurred_at: datetime
    who: str
    username: str
    roles: str
    organisation: str
    action: str
    section: str


def _role_labels(snapshot: str) -> str:
    labels = [Role(code).label for code in snapshot.split(",") if code in Role.values]
    return ", ".join(labels) or "No role"


@allow(Role.PRACTITIONER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    # The form posts, so names, NHS numbers and dates of birth stay out of URLs, browser
    # history and server logs (security.md, ASVS 14.2.1).
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    rows: list[SearchRow] | None = None
    more = False
    if request.method == "POST" and form.is_valid():
        try:
            found = services.people_search_audited(
                actor=request.user, limit=RESULTS_SHOWN, path=request.path, **form.criteria()
            )
        except ValueError:
            form.add_error("name", "Enter a name, date of birth, NHS number or postcode")
        else:
            today = timezone.localdate()
            more = found.more
            rows = []
            for person in found.people:
                address = current_address_of(person)
                rows.append(
                    SearchRow(
                        person=person,
                        age=person.age_on(today),
                        nhs_number=format_nhs_number(person.nhs_number),
                        postcode=address.postcode if address else "",
                    )
                )
    return render(
        request,
        "people/search.html",
        {"form": form, "rows": rows, "more": more, "results_shown": RESULTS_SHOWN},
    )


@allow(Role.PRACTITIONER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
@require_GET
def person(request: HttpRequest, person_id: UUID) -> HttpResponse:
    record = services.person_record_open(actor=request.user, person_id=person_id, path=request.path)
    return render(
        request,
        "people/person.html",
        {
            "record": record,
            "person": record.person,
            "can_see_access_log": request.user.has_role(Role.TEAM_MANAGER),  # type: ignore[union-attr]
            "can_merge": request.user.has_role(Role.TEAM_MANAGER),  # type: ignore[union-attr]
        },
    )


@allow(Role.PRACTITIONER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.person_create(actor=request.user, **form.person_create_kwargs())
        except ValidationError as exc:
            # Only a race gets here (someone added the same NHS number a moment ago).
            form.add_service_errors(exc)
        else:
            messages.success(request, f"{created.full_name} has been added")
            return redirect("people:person", person_id=created.pk)
    return render(request, "people/add.html", {"form": form})


@allow(Role.PRACTITIONER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Correct a person's details (name, birth, codes, identifiers, disabilities)."""
    if request.method == "POST":
        found = person_get_for_user(user=request.user, person_id=person_id)
    else:
        found = services.person_details_open(
            actor=request.user, person_id=person_id, path=request.path
        )
    if found.merged_into_id is not None:
        messages.info(request, "This record was merged into another: change the kept record")
        return redirect("people:person", person_id=found.pk)
    form = PersonDetailsForm(request.POST if request.method == "POST" else None, person=found)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.person_details_update(
                actor=request.user, person=found, **form.person_details_update_kwargs()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"{saved.full_name}'s details have been saved")
            return redirect("people:person", person_id=found.pk)
    return render(request, "people/change.html", {"form": form, "person": found})


@allow(Role.TEAM_MANAGER)
@require_GET
def access_log(request: HttpRequest, person_id: UUID) -> HttpResponse:
    log = services.person_access_log_open(
        actor=request.user,
        person_id=person_id,
        page_number=request.GET.get("page", 1),
        path=request.path,
    )
    events: list[AuditEvent] = list(log.page.object_list)
    rows = [
        AccessRow(
            occurred_at=event.occurred_at,
            who=(event.actor.get_full_name() or event.actor_username)
            if event.actor
            else event.actor_username,
            username=event.actor_username,
            roles=_role_labels(event.actor_roles),
            organisation=event.actor_organisation,
            action=event.get_action_display(),
            section=event.section,
        )
        for event in events
    ]
    return render(
        request,
        "people/access_log.html",
        {"person": log.person, "page": log.page, "rows": rows},
    )


# -- Merging duplicate records (team managers) --------------------------------------------------


@allow(Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def merge_find(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Step 1: find the duplicate of this record, by council ID or by name."""
    person = person_get_for_user(user=request.user, person_id=person_id)
    form = MergeFindForm(request.POST if request.method == "POST" else None)
    found: list[Person] | None = None
    if request.method == "POST" and form.is_valid():
        council_id = form.cleaned_data["council_id"]
        found = merging.merge_candidates_find(
            actor=request.user,
            person=person,
            council_id=council_id,
            name=form.cleaned_data.get("name", ""),
            path=request.path,
        )
        if council_id:
            if council_id.casefold() == person.council_id.casefold():
                form.add_error("council_id", "That is this record's own council ID")
                found = None
            elif not found:
                form.add_error("council_id", "No record has that council ID")
                found = None
            else:
                return redirect("people:merge_compare", person_id=person.pk, other_id=found[0].pk)
    return render(
        request,
        "people/merge_find.html",
        {"person": person, "form": form, "found": found, "shown": merging.CANDIDATES_SHOWN},
    )


@allow(Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def merge_compare(request: HttpRequest, person_id: UUID, other_id: UUID) -> HttpResponse:
    """Step 2: the two records side by side, what would move, and the merge itself."""
    preview = merging.person_merge_preview(
        actor=request.user, kept_id=person_id, merged_away_id=other_id, path=request.path
    )
    this, other = preview.kept, preview.merged_away
    choices = [(str(p.pk), f"{p.full_name}, council ID {p.council_id}") for p in (this, other)]
    form = MergeForm(
        request.POST if request.method == "POST" else None,
        choices=choices,
        initial={"keep": str(this.pk)},
    )
    if request.method == "POST" and form.is_valid():
        keep, away = (this, other) if form.cleaned_data["keep"] == str(this.pk) else (other, this)
        try:
            merge = merging.people_merge(
                actor=request.user,
                keep=keep,
                merge_away=away,
                reason=form.cleaned_data["reason"],
                path=request.path,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                f"{away.full_name} ({away.council_id}) has been merged into this record: "
                f"{merge.moved_count()} records moved",
            )
            return redirect("people:person", person_id=keep.pk)
    return render(
        request,
        "people/merge_compare.html",
        {"preview": preview, "this": this, "other": other, "form": form},
    )


@allow(Role.TEAM_MANAGER)
@require_GET
def merges(request: HttpRequest) -> HttpResponse:
    found = merging.merges_list_open(actor=request.user, path=request.path)
    return render(request, "people/merges.html", {"merges": found})


@allow(Role.TEAM_MANAGER)
@require_GET
def merge(request: HttpRequest, merge_id: int) -> HttpResponse:
    found = merging.merge_open(actor=request.user, merge_id=merge_id, path=request.path)
    return render(request, "people/merge.html", {"merge": found, "relations": _relations(found)})


@allow(Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    found = merging.merge_open(actor=request.user, merge_id=merge_id, path=request.path)
    if found.is_reversed:
        messages.info(request, "This merge has already been undone")
        return redirect("people:merge", merge_id=found.pk)
    form = MergeUndoForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            undone = merging.person_merge_reverse(
                actor=request.user,
                merge=found,
                reason=form.cleaned_data["reason"],
                path=request.path,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            left = sum(len(entry["ids"]) for entry in undone.reversal_left)
            messages.success(
                request,
                f"The merge has been undone: {found.merged_away.full_name} "
                f"({found.merged_away.council_id}) is a separate record again"
                + (
                    f". {left} records changed since the merge were left as they are"
                    if left
                    else ""
                ),
            )
            return redirect("people:person", person_id=found.merged_away_id)
    return render(
        request,
        "people/merge_undo.html",
        {"merge": found, "relations": _relations(found), "form": form},
    )


@dataclass(frozen=True)
class RelationRow:
    label: str
    moved: int
    kept_back: list[dict[str, Any]]


def _relations(merge: PersonMerge) -> list[RelationRow]:
    """The merge's account, one row per kind of record, in words."""
    rows = []
    for entry in merge.moved:
        fk = merging.relation_field(entry)
        label = merging.relation_label(fk) if fk is not None else entry.get("model", "")
        rows.append(RelationRow(label, len(entry.get("moved", [])), entry.get("kept_back", [])))
    return rows
