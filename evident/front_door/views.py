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
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evident.accounts.policies import allow
from evident.accounts.roles import Role
from evident.front_door import selectors, selectors_mash, services
from evident.front_door.forms import (
    AllocateForm,
    AuthoriseForm,
    ChildSearchForm,
    ContactDetailsForm,
    DecisionForm,
    TrayFilterForm,
)
from evident.front_door.outcomes import EARLY_HELP_ROLES, contact_carried_on
from evident.people.forms import PersonForm
from evident.people.matching import Match
from evident.people.models import Person
from evident.people.selectors import person_get_for_user

READERS = (Role.PRACTITIONER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
RECORDERS = (Role.PRACTITIONER, Role.TEAM_MANAGER)

DRAFT_KEY = "front_door_contact_draft"
LAST_RECORDED_KEY = "front_door_last_recorded"


# The tray ---------------------------------------------------------------------------------


DATE_PARTS = ("day", "month", "year")  # the GOV.UK date input's three boxes
# The query string keys the tray understands (anything else is dropped from its links).
TRAY_KEYS = (
    "status",
    "rag",
    "source",
    "allocated",
    *(f"received_{end}_{part}" for end in ("from", "to") for part in DATE_PARTS),
    "sort",
    "team",
)


def _tray_query(raw: QueryDict) -> QueryDict:
    """The tray's own filters from a query string (or a posted copy of one), without page."""
    query = QueryDict(mutable=True)
    for key in TRAY_KEYS:
        values = [v for v in raw.getlist(key) if v]
        if values:
            query.setlist(key, values)
    return query


def _without(query: QueryDict, key: str, value: str | None = None) -> str:
    """The query string with one filter value (or every value of ``key``) taken off."""
    rest = query.copy()
    if value is None:
        for part in DATE_PARTS:
            rest.pop(f"{key}_{part}", None)
    else:
        rest.setlist(key, [v for v in rest.getlist(key) if v != value])
    return rest.urlencode()


def _choice_labels(field: Any) -> dict[str, str]:
    labels: dict[str, str] = {}
    for value, label in field.choices:
        if isinstance(label, (list, tuple)):  # a group of choices
            labels.update((str(v), str(lbl)) for v, lbl in label)
        else:
            labels[str(value)] = str(label)
    return labels


def _selected_filters(form: TrayFilterForm, query: QueryDict) -> list[dict[str, Any]]:
    """The MOJ filter's "selected filters": a heading and removable tags per filter."""
    data = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if k not in form.errors}
    selected = []
    for name in ("status", "rag", "source", "allocated"):
        values = data.get(name) or []
        values = [values] if isinstance(values, str) else values
        labels = _choice_labels(form.fields[name])
        tags = [(labels.get(v, v), "?" + _without(query, name, v)) for v in values if v]
        if tags:
            selected.append({"heading": form.fields[name].label, "tags": tags})
    for name in ("received_from", "received_to"):
        if data.get(name):
            selected.append(
                {
                    "heading": form.fields[name].label,
                    "tags": [(data[name].strftime("%-d %B %Y"), "?" + _without(query, name))],
                }
            )
    return selected


def _tray_context(
    request: HttpRequest, *, query: QueryDict, allocate_form: AllocateForm | None = None
) -> dict[str, Any]:
    user: Any = request.user
    practitioners = list(selectors.front_door_practitioners())
    teams = list(selectors.teams_of(user))
    team = None
    if "team" in query:
        team = next((t for t in teams if str(t.pk) == query["team"]), None)
        if team is None:  # not one of the user's teams
            raise Http404("No such team")
    form = TrayFilterForm(data=query, practitioners=practitioners)
    filters = form.filters(team=team)
    page = selectors.tray_page(
        user=user,
        page_number=request.GET.get("page"),
        now=timezone.now(),
        path=request.get_full_path(),
        filters=filters,
    )
    can_allocate = user.has_role(Role.TEAM_MANAGER)
    return {
        "page": page.page,
        "rows": page.rows,
        "can_record": user.has_role(*RECORDERS),
        "can_allocate": can_allocate,
        "can_take": any(p.pk == user.pk for p in practitioners),
        # Rows link to "<contacts_url><id>/" and "<id>/take/": one reverse() for the page
        # rather than two per row (the tray's pattern; tests hold the two in step).
        "contacts_url": reverse("front_door:tray"),
        "filter_form": form,
        "form": form,  # for the error summary
        "selected_filters": _selected_filters(form, query),
        "query": query.urlencode(),
        "teams": teams,
        "team": team,
        "sort": filters.sort,
        "allocate_form": allocate_form
        or (AllocateForm(practitioners=practitioners) if can_allocate else None),
    }


@allow(*READERS)
@require_GET
def tray(request: HttpRequest) -> HttpResponse:
    """Open contacts: filtered, sorted and paged; ``?team=<id>`` for a team's contacts."""
    context = _tray_context(request, query=_tray_query(request.GET))
    return render(request, "front_door/tray.html", context)


def _back_to_tray(request: HttpRequest) -> HttpResponse:
    # The filters come back re-encoded from a posted query string, never as a raw URL.
    query = _tray_query(QueryDict(request.POST.get("filters", "")))
    url = reverse("front_door:tray")
    return redirect(f"{url}?{query.urlencode()}" if query else url)


@allow(Role.TEAM_MANAGER)
@require_POST
def tray_allocate(request: HttpRequest) -> HttpResponse:
    """Bulk reallocation: the contacts ticked in the tray go to one practitioner."""
    user: Any = request.user
    practitioners = list(selectors.front_door_practitioners())
    form = AllocateForm(data=request.POST, practitioners=practitioners)
    contacts = selectors.contacts_chosen(user=user, contact_ids=request.POST.getlist("contact"))
    if form.is_valid():
        to = next(p for p in practitioners if str(p.pk) == form.cleaned_data["to"])
        try:
            services.contacts_allocate(actor=user, contacts=contacts, to=to)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"{len(contacts)} contact{'s' if len(contacts) != 1 else ''} allocated to {to}",
            )
            return _back_to_tray(request)
    query = _tray_query(QueryDict(request.POST.get("filters", "")))
    context = _tray_context(request, query=query, allocate_form=form)
    context["form"] = form
    return render(request, "front_door/tray.html", context, status=400)


@allow(*RECORDERS)
@require_POST
def contact_take(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    """A practitioner takes an unallocated contact from the tray."""
    contact = selectors.contact_get_for_user(user=request.user, contact_id=contact_id)
    try:
        services.contact_take(actor=request.user, contact=contact)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        messages.error(request, "Only front-door practitioners take contacts")
    else:
        messages.success(request, f"You have taken contact {contact.reference}")
    return _back_to_tray(request)


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
) -> tuple[list[DraftChild], list[Match] | None]:
    """The draft's children (and the ranked matches, when asked), read with their audit."""
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
            # Each match with whether the child is already on the contact.
            "results": None
            if results is None
            else [(match, str(match.person.pk) in added) for match in results],
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
            "histories": selectors.previous_contacts(user=user, contact=contact),
            "unfound_submitted": any(c.person_id is None for c in contact.submitted_children.all()),
            "status": status,
            "clock": selectors.contact_clock(received_at=contact.received_at, now=timezone.now()),
            "can_decide": contact.closed_at is None and user.has_role(*RECORDERS),
            # The MASH: urgency beside the statutory clock, and information requests.
            "urgency_clock": selectors_mash.urgency_clock(contact=contact, now=timezone.now()),
            "information_requests": selectors_mash.information_requests_of(
                contact=contact, now=timezone.now()
            ),
            "can_authorise": status == selectors.ContactStatus.AWAITING_AUTHORISATION
            and user.has_role(Role.TEAM_MANAGER),
            "carried_on": contact_carried_on(contact),
            "can_update_early_help": user.has_role(*EARLY_HELP_ROLES),
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
            services.contact_decide(
                actor=request.user,
                contact=contact,
                decisions=form.decisions(),
                version=form.cleaned_data["version"],
                levels_of_need=form.levels_of_need(),
                voices=form.voices(),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            # The latest contact (and its version) under the user's kept text.
            contact = selectors.contact_get_for_user(user=request.user, contact_id=contact_id)
            children = list(contact.children.all())
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
