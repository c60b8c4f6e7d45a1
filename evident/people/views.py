"""People pages: find a person, their record, add a person, and who has viewed a record.

Views stay thin: the services fetch within the user's scope and audit before returning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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
from evident.people import services
from evident.people.forms import PersonForm, PersonSearchForm
from evident.people.identifiers import format_nhs_number
from evident.people.models import Person
from evident.people.selectors import current_address_of

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
