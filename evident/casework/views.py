"""Casework pages: the referrals tray and allocation, each episode and its steps, the
child's chronology, what is due, caseloads and the children in need panel."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from evident.accounts.policies import allow
from evident.accounts.roles import Role
from evident.audit.models import AuditEvent
from evident.audit.services import audit_people_read, audit_record
from evident.casework import forms, selectors, services
from evident.casework.forms import AllocateForm
from evident.casework.models import ChildProtectionPlan, CINPlan, Episode
from evident.core.clocks import LONDON
from evident.people.selectors import people_visible_to, person_get_for_user


@allow(Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
@require_GET
def referrals(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    page = selectors.referrals_page(
        user=user,
        page_number=request.GET.get("page"),
        today=timezone.now().astimezone(LONDON).date(),
        path=request.get_full_path(),
    )
    return render(
        request,
        "casework/referrals.html",
        {
            "page": page.page,
            "rows": page.rows,
            "teams": list(user.teams.all()),
            "can_allocate": user.has_role(Role.TEAM_MANAGER),
        },
    )


@allow(Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    """Allocate a referral to a social worker in the team, or transfer it to a worker in
    another casework team."""
    episode = selectors.episode_get_for_user(user=request.user, episode_id=episode_id)
    form = AllocateForm(
        data=request.POST if request.method == "POST" else None,
        initial={"version": episode.version},
        workers=services.allocation_choices(episode.team),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_allocate(
                actor=request.user,
                episode=episode,
                worker=form.chosen_worker(),
                team=form.chosen_team(),
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, f"Referral allocated to {form.chosen_worker().get_full_name()}"
            )
            return redirect("casework:referrals")
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            record=episode,
            person=episode.person,
            section="casework.allocation",
            path=request.path,
        )
    return render(request, "casework/allocate.html", {"episode": episode, "form": form})


# The child's episode and its steps ---------------------------------------------------------


def _today() -> date:
    return timezone.now().astimezone(LONDON).date()


def _audit_view(request: HttpRequest, record: Any, person: Any, section: str) -> None:
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            record=record,
            person=person,
            section=section,
            path=request.get_full_path(),
        )


@allow(Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.PRACTITIONER)
@require_GET
def episode(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    """One episode: every step so far, what is due, and the next steps to record."""
    found = selectors.episode_for_reading(user=request.user, episode_id=episode_id)
    steps = selectors.episode_steps(found)
    _audit_view(request, found, found.person, "casework.episode")
    writable = selectors.can_write(request.user, found) and found.closed_on is None
    user: Any = request.user
    return render(
        request,
        "casework/episode.html",
        {
            "episode": found,
            "steps": steps,
            "due": selectors.due_for_episode(steps, _today()) if found.closed_on is None else [],
            "actions": steps_available(steps, manager=user.has_role(Role.TEAM_MANAGER))
            if writable
            else [],
            "can_allocate": writable
            and user.has_role(Role.TEAM_MANAGER)
            and user.teams.filter(pk=found.team_id).exists(),
        },
    )


@dataclass(frozen=True)
class StepSpec:
    title: str
    form: type[forms.StepForm]
    # The step's own record (an assessment, an enquiry, a plan), or the episode itself;
    # None when the step is not open now (404).
    target: Callable[[selectors.EpisodeSteps], Any]
    save: Callable[..., Any]
    manager_only: bool = False
    form_kwargs: dict[str, Any] | None = None


def _yes(value: str) -> bool:
    return value == "yes"


STEPS: dict[str, StepSpec] = {
    "assessment-start": StepSpec(
        "Start the child and family assessment",
        forms.AssessmentStartForm,
        lambda s: s.episode if s.open_assessment is None else None,
        lambda actor, target, d, v: services.assessment_start(
            actor=actor, episode=target, start_date=d["start_date"], version=v
        ),
    ),
    "assessment-record": StepSpec(
        "Record the assessment's findings",
        forms.AssessmentRecordForm,
        lambda s: s.open_assessment,
        lambda actor, target, d, v: services.assessment_record(
            actor=actor,
            assessment=target,
            factors=d["factors"],
            outcome=d["outcome"],
            completed_on=d["completed_on"],
            primary_need=d["primary_need"],
            child_views=d["child_views"],
            version=v,
        ),
    ),
    "primary-need": StepSpec(
        "Record the child's primary need",
        forms.PrimaryNeedForm,
        # Until an assessment is authorised: then its primary need stands (closure may change it).
        lambda s: s.episode if not any(a.authorised_on for a in s.assessments) else None,
        lambda actor, target, d, v: services.episode_primary_need_record(
            actor=actor, episode=target, primary_need=d["primary_need"], version=v
        ),
    ),
    "assessment-authorise": StepSpec(
        "Authorise the assessment",
        forms.AssessmentAuthoriseForm,
        lambda s: s.open_assessment,
        lambda actor, target, d, v: services.assessment_authorise(
            actor=actor,
            assessment=target,
            authorised_on=d["authorised_on"],
            rationale=d["rationale"],
            version=v,
        ),
        manager_only=True,
    ),
    "visit": StepSpec(
        "Record a visit to the child",
        forms.VisitForm,
        lambda s: s.episode,
        lambda actor, target, d, v: services.visit_record(
            actor=actor,
            episode=target,
            purpose=d["purpose"],
            visited_on=d["visited_on"],
            child_seen=_yes(d["child_seen"]),
            seen_alone=_yes(d["seen_alone"]),
            child_said=d["child_said"],
            version=v,
        ),
    ),
    "strategy-discussion": StepSpec(
        "Record a strategy discussion",
        forms.StrategyDiscussionForm,
        lambda s: s.episode,
        lambda actor, target, d, v: services.strategy_discussion_record(
            actor=actor,
            episode=target,
            held_on=d["held_on"],
            police="police" in d["agencies"],
            health="health" in d["agencies"],
            education="education" in d["agencies"],
            social_care="social_care" in d["agencies"],
            decision=d["decision"],
            rationale=d["rationale"],
            version=v,
        ),
    ),
    "section47-outcome": StepSpec(
        "Record the section 47 enquiry's outcome",
        forms.Section47OutcomeForm,
        lambda s: next((e for e in s.open_enquiries if e.completed_on is None), None),
        lambda actor, target, d, v: services.section47_outcome(
            actor=actor,
            enquiry=target,
            outcome=d["outcome"],
            completed_on=d["completed_on"],
            not_required_reason=d["not_required_reason"],
            child_views=d["child_views"],
            version=v,
        ),
    ),
    "initial-conference": StepSpec(
        "Record the initial child protection conference",
        forms.InitialConferenceForm,
        lambda s: next(iter(s.open_enquiries), None),
        lambda actor, target, d, v: services.initial_conference_record(
            actor=actor,
            enquiry=target,
            held_on=d["held_on"],
            plan_made=_yes(d["plan_made"]),
            category=d["category"],
            rationale=d["rationale"],
            child_views=d["child_views"],
            version=v,
        ),
    ),
    "core-group": StepSpec(
        "Record a core group meeting",
        forms.CoreGroupForm,
        lambda s: s.open_cp_plan,
        lambda actor, target, d, v: services.core_group_record(
            actor=actor, plan=target, held_on=d["held_on"], notes=d["notes"], version=v
        ),
    ),
    "review-conference": StepSpec(
        "Record a review conference",
        forms.ReviewConferenceForm,
        lambda s: s.open_cp_plan,
        lambda actor, target, d, v: services.review_conference_record(
            actor=actor,
            plan=target,
            held_on=d["held_on"],
            plan_continues=_yes(d["plan_continues"]),
            category=d["category"],
            end_reason=d["end_reason"],
            rationale=d["rationale"],
            child_views=d["child_views"],
            version=v,
        ),
    ),
    "cp-plan-end": StepSpec(
        "End the child protection plan",
        forms.PlanEndForm,
        lambda s: s.open_cp_plan,
        lambda actor, target, d, v: services.cp_plan_end(
            actor=actor, plan=target, end_date=d["end_date"], end_reason=d["end_reason"], version=v
        ),
        form_kwargs={"reasons": ChildProtectionPlan.EndReason.choices},
    ),
    "cin-plan-start": StepSpec(
        "Start a child-in-need plan",
        forms.CINPlanStartForm,
        lambda s: s.episode if s.open_cin_plan is None and s.open_cp_plan is None else None,
        lambda actor, target, d, v: services.cin_plan_start(
            actor=actor, episode=target, start_date=d["start_date"], version=v
        ),
    ),
    "cin-plan-review": StepSpec(
        "Record a child-in-need plan review",
        forms.CINPlanReviewForm,
        lambda s: s.open_cin_plan,
        lambda actor, target, d, v: services.cin_plan_review_record(
            actor=actor,
            plan=target,
            held_on=d["held_on"],
            notes=d["notes"],
            child_views=d["child_views"],
            version=v,
        ),
    ),
    "cin-plan-end": StepSpec(
        "End the child-in-need plan",
        forms.PlanEndForm,
        lambda s: s.open_cin_plan,
        lambda actor, target, d, v: services.cin_plan_end(
            actor=actor, plan=target, end_date=d["end_date"], end_reason=d["end_reason"], version=v
        ),
        form_kwargs={"reasons": CINPlan.EndReason.choices},
    ),
    "emergency-protection": StepSpec(
        "Record police protection or an emergency protection order",
        forms.EmergencyProtectionForm,
        lambda s: s.episode,
        lambda actor, target, d, v: services.emergency_protection_record(
            actor=actor,
            episode=target,
            kind=d["kind"],
            start_date=d["start_date"],
            end_date=d["end_date"],
            details=d["details"],
            version=v,
        ),
    ),
    "panel": StepSpec(
        "Record the children in need panel's decision",
        forms.PanelReviewForm,
        lambda s: s.episode,
        lambda actor, target, d, v: services.panel_review_record(
            actor=actor,
            episode=target,
            held_on=d["held_on"],
            decision=d["decision"],
            actions=d["actions"],
            reasons=d.get("reasons", []),
            version=v,
        ),
        manager_only=True,
    ),
    "close": StepSpec(
        "Close the episode",
        forms.ClosureForm,
        lambda s: s.episode,
        lambda actor, target, d, v: services.episode_close(
            actor=actor,
            episode=target,
            closed_on=d["closed_on"],
            reason=d["reason"],
            primary_need=d["primary_need"],
            rationale=d["rationale"],
            version=v,
        ),
        manager_only=True,
    ),
}


def steps_available(steps: selectors.EpisodeSteps, *, manager: bool) -> list[tuple[str, str]]:
    """(slug, title) of the steps that can be recorded on the episode now."""
    return [
        (slug, spec.title)
        for slug, spec in STEPS.items()
        if slug != "panel" and (manager or not spec.manager_only) and spec.target(steps) is not None
    ]


@allow(Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, episode_id: uuid.UUID, step: str) -> HttpResponse:
    """Record one step of the episode. The episode's team only; managers' steps to managers."""
    spec = STEPS.get(step)
    if spec is None:
        raise Http404("No such step")
    user: Any = request.user
    if spec.manager_only and not user.has_role(Role.TEAM_MANAGER):
        raise PermissionDenied("Only team managers do this")
    found = selectors.episode_for_reading(user=user, episode_id=episode_id)
    if not selectors.can_write(user, found) or found.closed_on is not None:
        raise Http404("No such episode")
    steps = selectors.episode_steps(found)
    target = spec.target(steps)
    if target is None:
        raise Http404("That step is not open on this episode")
    kwargs = dict(spec.form_kwargs or {})
    form = spec.form(
        data=request.POST if request.method == "POST" else None,
        initial={"version": found.version},
        **kwargs,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if step == "panel":
            today = _today()
            rows = {row.episode.pk: row for row in selectors.panel_list(user=user, today=today)}
            row = rows.get(found.pk)
            data["reasons"] = [str(r) for r in row.reasons] if row else []
        try:
            spec.save(user, target, data, form.cleaned_data["version"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"{spec.title}: saved")
            return redirect("casework:episode", episode_id=found.pk)
    _audit_view(request, found, found.person, f"casework.step.{step}")
    return render(
        request,
        "casework/step.html",
        {"episode": found, "steps": steps, "spec": spec, "form": form, "target": target},
    )


@allow(Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    """Record a referral directly (not through the front door): it opens an episode."""
    user: Any = request.user
    teams = [t for t in services.teams_for_allocation() if user.teams.filter(pk=t.pk).exists()]
    form = forms.ReferralForm(data=request.POST if request.method == "POST" else None, teams=teams)
    if request.method == "POST" and form.is_valid():
        person = (
            people_visible_to(user)
            .filter(council_id=form.cleaned_data["council_id"].strip())
            .first()
        )
        if person is None:
            form.add_error("council_id", "No child has that council ID")
        else:
            try:
                opened = services.episode_record_referral(
                    actor=user,
                    person=person,
                    referral_date=form.cleaned_data["referral_date"],
                    source=form.cleaned_data["source"],
                    team=form.chosen_team(),
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "person" in exc.error_dict:
                    exc = ValidationError({"council_id": exc.error_dict["person"]})
                form.add_service_errors(exc)
            else:
                messages.success(request, f"Referral of {person.full_name} recorded")
                return redirect("casework:episode", episode_id=opened.pk)
    return render(request, "casework/referral_new.html", {"form": form, "teams": teams})


# Chronology, what is due, caseloads and the panel -----------------------------------------


@allow(Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.PRACTITIONER)
@require_GET
def chronology(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """One timeline of the child's life with the service, filterable by type, printable."""
    person = person_get_for_user(user=request.user, person_id=person_id)
    chosen = {t for t in request.GET.getlist("type") if t in selectors.EventType._value2member_map_}
    events = selectors.chronology(person=person, types=chosen or None)
    _audit_view(request, person, person, "casework.chronology")
    return render(
        request,
        "casework/chronology.html",
        {
            "person": person,
            "events": events,
            "episodes": list(
                selectors.episodes_readable_by(request.user)
                .filter(person=person)
                .order_by("-referral_date")
            ),
            "types": [(t.value, t.label, t.value in chosen) for t in selectors.EventType],
            "filtered": bool(chosen),
        },
    )


@allow(Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
@require_GET
def due(request: HttpRequest) -> HttpResponse:
    """What is due and overdue: the user's own children, or their teams'."""
    user: Any = request.user
    scope = "team" if request.GET.get("scope") == "team" else "mine"
    episodes = selectors.episodes_visible_to(user)
    if scope == "mine":
        episodes = Episode.objects.filter(worker=user)
    items = selectors.due_items(episodes=episodes, today=_today())
    with transaction.atomic():
        audit_people_read(
            actor=user,
            people=list({item.episode.person_id: item.episode.person for item in items}.values()),
            section="casework.due",
            path=request.get_full_path(),
        )
    return render(request, "casework/due.html", {"items": items, "scope": scope})


@allow(Role.TEAM_MANAGER)
@require_GET
def caseloads(request: HttpRequest) -> HttpResponse:
    """Each worker's caseload in the manager's teams: children by type of plan."""
    rows = selectors.caseloads(user=request.user)
    with transaction.atomic():
        audit_people_read(
            actor=request.user,
            people=[e.person for row in rows for e, _ in row.episodes],
            section="casework.caseloads",
            path=request.get_full_path(),
        )
    return render(request, "casework/caseloads.html", {"rows": rows})


@allow(Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
@require_GET
def panel(request: HttpRequest) -> HttpResponse:
    """The children in need panel's list: plans that need a second look."""
    user: Any = request.user
    rows = selectors.panel_list(user=user, today=_today())
    with transaction.atomic():
        audit_people_read(
            actor=user,
            people=[row.episode.person for row in rows],
            section="casework.panel",
            path=request.get_full_path(),
        )
    return render(
        request,
        "casework/panel.html",
        {
            "rows": rows,
            "months": selectors.panel_months(),
            "can_decide": user.has_role(Role.TEAM_MANAGER),
        },
    )
