"""Front-door pages: the tray, recording a contact, decisions and management oversight.

Recording a contact is a question flow that saves nothing until the last page. The draft
lives in the session under one key (``DRAFT_KEY``) and no child's details go in a URL:
searches are posted, never put in a query string.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from evident.accounts.policies import allow
from evident.accounts.roles import Role
from evident.front_door import selectors, services
from evident.front_door.forms import (
    AuthoriseForm,
    ChildSearchForm,
    ContactDetailsForm,
    DecisionForm,
)
from evident.people.forms import PersonForm
from evident.people.models import Person
from evident.people.selectors import current_address_of, person_get_for_user

READERS = (Role.PRACTITIONER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
RECORDERS = (Role.PRACTITIONER, Role.TEAM_MANAGER)

DRAFT_KEY = "front_door_contact_draft"
LAST_RECORDED_KEY = "front_door_last_recorded"


# The tray ---------------------------------------------------------------------------------


@allow(*READERS)
@require_GET
def tray(request: HttpRequest) -> HttpResponse:
    page = selectors.tray_page(
        user=request.user,
        page_number=request.GET.get("page"),
        now=timezone.now(),
        path=request.get_full_path(),
    )
    return render(
        request,
        "front_door/tray.html",
        {
            "page": page.page,
            "rows": page.rows,
            "can_record": request.user.has_role(*RECORDERS),  # type: ignore[union-attr]
        },
    )


@allow(*READERS)
@require_GET
def tray_clocks(request: HttpRequest) -> HttpResponse:
    """The live part of the tray: time left and red/amber/green, for the contacts named
    (``?c=<contact id>``, repeated). Nothing personal, so not audited."""
    rows = selectors.tray_clocks(
        user=request.user, contact_ids=request.GET.getlist("c"), now=timezone.now()
    )
    return render(request, "front_door/tray.html#clocks", {"rows": rows, "oob": True})


# Recording a contact: the draft -----------------------------------------------------------


def _new_draft() -> dict[str, Any]:
    return {"children": [], "search": None, "details": None}


def _draft(request: HttpRequest) -> dict[str, Any]:
    draft = request.session.get(DRAFT_KEY)
    return draft if isinstance(draft, dict) else _new_draft()


def _keep(request: HttpRequest, draft: dict[str, Any]) -> None:
    request.session[DRAFT_KEY] = draft


def _posted(request: HttpRequest) -> dict[str, list[str]]:
    """What was typed, as the session can store it, to be validated again later."""
    return {
        key: values
        for key, values in request.POST.lists()
        if key not in {"csrfmiddlewaretoken", "action"}
    }


def _as_data(stored: dict[str, list[str]] | None) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in (stored or {}).items():
        data.setlist(key, values)
    return data


@dataclass
class DraftChild:
    """A child on the draft: found in the records (``person``) or to be added (``form``)."""

    key: str
    person: Person | None = None
    form: PersonForm | None = None

    @property
    def is_new(self) -> bool:
        return self.person is None

    @property
    def name(self) -> str:
        if self.person is not None:
            return self.person.full_name
        data = self.form.data if self.form is not None else {}
        return f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()

    @property
    def date_of_birth(self) -> date | None:
        if self.person is not None:
            return self.person.date_of_birth
        cleaned = getattr(self.form, "cleaned_data", {})
        return cleaned.get("date_of_birth")

    @property
    def expected_date_of_birth(self) -> date | None:
        if self.person is not None:
            return self.person.expected_date_of_birth
        cleaned = getattr(self.form, "cleaned_data", {})
        return cleaned.get("expected_date_of_birth")

    @property
    def valid(self) -> bool:
        return self.form is None or self.form.is_valid()

    def for_service(self) -> services.ChildOnContact:
        if self.person is not None:
            return self.person.pk
        assert self.form is not None  # noqa: S101 (a new child always has its form)
        return self.form.person_create_kwargs()


def _draft_children(
    request: HttpRequest, draft: dict[str, Any], *, search: dict[str, Any] | None = None
) -> tuple[list[DraftChild], list[Person] | None]:
    """The draft's children (and the search results, when asked), read with their audit."""
    entries = [e for e in draft["children"] if isinstance(e, dict)]
    read = selectors.contact_draft_read(
        user=request.user,
        person_ids=[e["person_id"] for e in entries if "person_id" in e],
        search=search,
        path=request.path,
    )
    children: list[DraftChild] = []
    for entry in entries:
        if "person_id" in entry:
            person = read.people.get(entry["person_id"])
            if person is not None:  # out of scope since it was added: left out
                children.append(DraftChild(key=entry["person_id"], person=person))
        elif "new" in entry:
            form = PersonForm(data=_as_data(entry["new"]))
            form.is_valid()
            children.append(DraftChild(key=str(entry.get("key", "")), form=form))
    return children, read.results


@allow(*RECORDERS)
@require_GET
def contact_new(request: HttpRequest) -> HttpResponse:
    """'Record a contact': starts an empty draft."""
    request.session[DRAFT_KEY] = _new_draft()
    return redirect("front_door:contact_children")


def _add_existing_child(request: HttpRequest, draft: dict[str, Any]) -> str | None:
    """Adds the posted person to the draft; returns the problem, if any."""
    try:
        person = person_get_for_user(user=request.user, person_id=request.POST.get("person_id"))
    except Http404:
        return "That child could not be found: search again"
    if any(e.get("person_id") == str(person.pk) for e in draft["children"]):
        return f"{person.full_name} is already on this contact"
    draft["children"].append({"person_id": str(person.pk)})
    return None


@allow(*RECORDERS)
@require_http_methods(["GET", "POST"])
def contact_children(request: HttpRequest) -> HttpResponse:
    """Question 1: who is this contact about? Search, add, add new, remove, continue."""
    draft = _draft(request)
    search_form = ChildSearchForm(data=_as_data(draft["search"])) if draft["search"] else None
    problems: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "search":
            search_form = ChildSearchForm(data=request.POST)
            if search_form.is_valid():
                draft["search"] = _posted(request)
                _keep(request, draft)
                return redirect("front_door:contact_children")
        elif action == "add":
            problem = _add_existing_child(request, draft)
            if problem is None:
                _keep(request, draft)
                return redirect("front_door:contact_children")
            problems.append(problem)
        elif action == "remove":
            key = request.POST.get("child", "")
            draft["children"] = [
                e for e in draft["children"] if key not in (e.get("person_id"), e.get("key"))
            ]
            _keep(request, draft)
            return redirect("front_door:contact_children")
        elif action == "continue":
            children, _ = _draft_children(request, draft)
            if children:
                return redirect("front_door:contact_details")
            problems.append(services.NO_CHILD_MESSAGE)
    criteria = None
    if search_form is not None and search_form.is_valid():
        criteria = search_form.cleaned_data
    children, results = _draft_children(request, draft, search=criteria)
    added = {child.key for child in children}
    return render(
        request,
        "front_door/contact_children.html",
        {
            "form": search_form or ChildSearchForm(),
            "summary_errors": problems,
            "children": children,
            "results": None
            if results is None
            else [
                (person, str(person.pk) in added, current_address_of(person)) for person in results
            ],
        },
    )


@allow(*RECORDERS)
@require_http_methods(["GET", "POST"])
def contact_new_child(request: HttpRequest) -> HttpResponse:
    """Add a child who is not in the records yet: created only when the contact is saved."""
    form = PersonForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        draft = _draft(request)
        draft["children"].append({"key": f"new-{uuid.uuid4().hex[:12]}", "new": _posted(request)})
        _keep(request, draft)
        return redirect("front_door:contact_children")
    return render(request, "front_door/contact_new_child.html", {"form": form})


@allow(*RECORDERS)
@require_http_methods(["GET", "POST"])
def contact_details(request: HttpRequest) -> HttpResponse:
    """Question 2: when it arrived, who sent it, the concern and consent."""
    draft = _draft(request)
    if request.method == "POST":
        form = ContactDetailsForm(data=request.POST)
        if form.is_valid():
            draft["details"] = _posted(request)
            _keep(request, draft)
            return redirect("front_door:contact_check")
    elif draft["details"]:
        form = ContactDetailsForm(data=_as_data(draft["details"]))
    else:
        form = ContactDetailsForm()
    return render(request, "front_door/contact_details.html", {"form": form})


def _save_draft(
    request: HttpRequest, children: list[DraftChild], details: ContactDetailsForm
) -> tuple[Any, list[str]]:
    """Saves the contact, or says why not (and saves nothing)."""
    if not children:
        return None, [services.NO_CHILD_MESSAGE]
    invalid = [child.name or "a new child" for child in children if not child.valid]
    if invalid:
        return None, [
            f"Check the details of {name}: remove them and add them again" for name in invalid
        ]
    data = details.cleaned_data
    try:
        contact = services.contact_record(
            actor=request.user,
            received_at=data["received_at"],
            source=data["source"],
            referrer_name=data["referrer_name"],
            referrer_organisation=data["referrer_organisation"],
            referrer_phone=data["referrer_phone"],
            referrer_email=data["referrer_email"],
            concern=data["concern"],
            consent=data["consent"],
            consent_reason=data["consent_reason"],
            children=[child.for_service() for child in children],
        )
    except ValidationError as exc:
        return None, list(exc.messages)
    return contact, []


@allow(*RECORDERS)
@require_http_methods(["GET", "POST"])
def contact_check(request: HttpRequest) -> HttpResponse:
    """Question 3: check your answers, then save everything in one go."""
    draft = request.session.get(DRAFT_KEY)
    if request.method == "POST" and not isinstance(draft, dict):
        # Saved already (the button pressed twice): show what was saved.
        last = request.session.get(LAST_RECORDED_KEY)
        if last:
            return redirect("front_door:contact_recorded", contact_id=last)
    draft = _draft(request)
    details = ContactDetailsForm(data=_as_data(draft["details"]))
    if not draft["details"] or not details.is_valid():
        return redirect("front_door:contact_details")
    children, _ = _draft_children(request, draft)
    problems: list[str] = []
    if request.method == "POST":
        contact, problems = _save_draft(request, children, details)
        if contact is not None:
            request.session.pop(DRAFT_KEY, None)
            request.session[LAST_RECORDED_KEY] = str(contact.pk)
            return redirect("front_door:contact_recorded", contact_id=contact.pk)
    return render(
        request,
        "front_door/contact_check.html",
        {"details": details, "children": children, "summary_errors": problems},
    )


@allow(*RECORDERS)
@require_GET
def contact_recorded(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    """The confirmation: the reference only, so nothing here needs auditing."""
    contact = selectors.contact_get_for_user(user=request.user, contact_id=contact_id)
    return render(request, "front_door/contact_recorded.html", {"contact": contact})


# The contact ------------------------------------------------------------------------------


@allow(*READERS)
@require_GET
def contact(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    contact = selectors.contact_get_for_user(user=request.user, contact_id=contact_id)
    selectors.contact_read_audit(
        user=request.user, contact=contact, section="front_door.contact", path=request.path
    )
    children = list(contact.children.all())
    user: Any = request.user
    status = selectors.contact_status(children)
    return render(
        request,
        "front_door/contact.html",
        {
            "contact": contact,
            "children": children,
            "status": status,
            "clock": selectors.contact_clock(received_at=contact.received_at, now=timezone.now()),
            "can_decide": contact.closed_at is None and user.has_role(*RECORDERS),
            "can_authorise": status == selectors.ContactStatus.AWAITING_AUTHORISATION
            and user.has_role(Role.TEAM_MANAGER),
        },
    )


@allow(*RECORDERS)
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    """Propose a decision for each child on the contact (siblings may differ)."""
    contact = selectors.contact_get_for_user(user=request.user, contact_id=contact_id)
    children = list(contact.children.all())
    form = DecisionForm(data=request.POST if request.method == "POST" else None, rows=children)
    if request.method == "POST" and form.is_valid() and form.rows:
        try:
            services.contact_decide(actor=request.user, contact=contact, decisions=form.decisions())
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Decisions sent to a team manager for authorisation")
            return redirect("front_door:contact", contact_id=contact.pk)
    selectors.contact_read_audit(
        user=request.user, contact=contact, section="front_door.decision", path=request.path
    )
    return render(
        request,
        "front_door/decide.html",
        {
            "contact": contact,
            "children": children,
            "form": form,
            "clock": selectors.contact_clock(received_at=contact.received_at, now=timezone.now()),
        },
    )


# Management oversight ---------------------------------------------------------------------


@allow(Role.TEAM_MANAGER)
@require_GET
def authorisations(request: HttpRequest) -> HttpResponse:
    page = selectors.authorisation_page(
        user=request.user,
        page_number=request.GET.get("page"),
        now=timezone.now(),
        path=request.get_full_path(),
    )
    return render(
        request,
        "front_door/authorisations.html",
        {"page": page.page, "rows": page.rows, "now": timezone.now()},
    )


@allow(Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def authorise(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    """Authorise every proposed decision on the contact, or return them for more work."""
    contact = selectors.contact_get_for_user(user=request.user, contact_id=contact_id)
    form = AuthoriseForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if form.cleaned_data["action"] == AuthoriseForm.AUTHORISE:
                services.contact_authorise(actor=request.user, contact=contact, comment=comment)
                done = f"Decisions on contact {contact.reference} authorised"
            else:
                services.contact_return(actor=request.user, contact=contact, comment=comment)
                done = f"Decisions on contact {contact.reference} returned for more work"
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, done)
            return redirect("front_door:authorisations")
        contact = selectors.contact_get_for_user(user=request.user, contact_id=contact_id)
    children = list(contact.children.all())
    proposed = [
        row
        for row in children
        if (d := selectors.decision_of(row)) and d.status == d.Status.PROPOSED
    ]
    selectors.contact_read_audit(
        user=request.user, contact=contact, section="front_door.authorisation", path=request.path
    )
    return render(
        request,
        "front_door/authorise.html",
        {
            "contact": contact,
            "children": children,
            "proposed": proposed,
            "proposed_by_me": any(
                row.decision.decided_by_id == request.user.pk for row in proposed
            ),
            "form": form,
            "clock": selectors.contact_clock(received_at=contact.received_at, now=timezone.now()),
        },
    )
