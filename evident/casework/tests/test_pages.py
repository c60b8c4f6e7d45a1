"""The casework pages over HTTP: who may see and write what, refusals that say why,
nothing half-saved, concurrent edits, audit of reads, the chronology, what is due,
caseloads and the children in need panel."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse

from evident.audit.models import AuditEvent
from evident.casework import selectors, services
from evident.casework.models import (
    ChildProtectionPlan,
    CINPlan,
    Episode,
    PanelReview,
    Section47,
    StrategyDiscussion,
)
from evident.casework.tests.conftest import london
from evident.core.clocks import Rag
from evident.core.codes import ReferralSource

TODAY = date(2026, 11, 27)
NOW = london(2026, 11, 27, 12, 0)


@pytest.fixture(autouse=True)
def _today(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture
def episode(dat_people: dict[str, Any], dat_team: Any, make_child: Any) -> Episode:
    opened = services.episode_record_referral(
        actor=dat_people["socialworker"],
        person=make_child("Robin", "Referred"),
        referral_date=date(2026, 10, 1),
        source=ReferralSource.SCHOOLS,
        team=dat_team,
        now=NOW,
    )
    return services.episode_allocate(
        actor=dat_people["manager"], episode=opened, worker=dat_people["socialworker"], now=NOW
    )


def _date(name: str, day: date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _step_url(episode: Episode, slug: str) -> str:
    return reverse("casework:step", args=[episode.pk, slug])


def _s47(episode: Episode, actor: Any, held_on: date = date(2026, 10, 5)) -> Section47:
    services.strategy_discussion_record(
        actor=actor,
        episode=episode,
        held_on=held_on,
        police=True,
        health=False,
        education=False,
        social_care=True,
        decision=StrategyDiscussion.Decision.SECTION_47,
        rationale="Harm",
    )
    return Section47.objects.get(episode=episode)


def test_the_episode_page_shows_the_steps_and_is_audited(client, episode, dat_people):
    client.force_login(dat_people["socialworker"])
    response = client.get(reverse("casework:episode", args=[episode.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Robin Referred" in html
    assert "d) Open assessment" in html
    assert 'id="step-assessment-start"' in html
    # A social worker is not offered the manager's steps.
    assert 'id="step-close"' not in html
    assert AuditEvent.objects.filter(
        section="casework.episode", action=AuditEvent.Action.VIEW, person=episode.person
    ).exists()


def test_front_door_practitioners_read_but_do_not_write(client, episode, dat_people):
    client.force_login(dat_people["practitioner"])
    page = client.get(reverse("casework:episode", args=[episode.pk]))
    assert page.status_code == 200
    assert 'id="actions"' not in page.content.decode()
    assert client.get(reverse("casework:chronology", args=[episode.person.pk])).status_code == 200
    response = client.post(
        _step_url(episode, "cin-plan-start"),
        {**_date("start_date", date(2026, 10, 2)), "version": episode.version},
    )
    assert response.status_code == 403
    assert not CINPlan.objects.exists()


@pytest.mark.parametrize("persona", ["partner", "analyst", "lado", "nobody"])
def test_people_outside_casework_cannot_open_an_episode(client, episode, dat_people, persona):
    client.force_login(dat_people[persona])
    assert client.get(reverse("casework:episode", args=[episode.pk])).status_code == 403
    url = reverse("casework:chronology", args=[episode.person.pk])
    assert client.get(url).status_code == 403


def test_another_team_cannot_write_and_unknown_ids_are_not_found(client, episode, dat_people):
    client.force_login(dat_people["other_manager"])
    assert client.get(_step_url(episode, "close")).status_code == 404
    client.force_login(dat_people["socialworker"])
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("casework:episode", args=[missing])).status_code == 404
    assert (
        client.get(reverse("casework:step", args=[episode.pk, "no-such-step"])).status_code == 404
    )
    # A step that is not open now (no assessment under way to authorise) is not found.
    client.force_login(dat_people["manager"])
    assert client.get(_step_url(episode, "assessment-authorise")).status_code == 404


def test_social_workers_cannot_close_an_episode(client, episode, dat_people):
    client.force_login(dat_people["socialworker"])
    assert client.get(_step_url(episode, "close")).status_code == 403


def test_a_step_out_of_order_is_refused_with_the_reason_and_nothing_saved(
    client, episode, dat_people
):
    enquiry = _s47(episode, dat_people["socialworker"])
    episode.refresh_from_db()
    client.force_login(dat_people["socialworker"])
    response = client.post(
        _step_url(episode, "initial-conference"),
        {
            **_date("held_on", date(2026, 10, 2)),
            "plan_made": "yes",
            "category": "NEG",
            "rationale": "Neglect",
            "child_views": "",
            "version": episode.version,
        },
    )
    assert response.status_code == 200
    assert "before the strategy discussion that started the enquiry" in response.content.decode()
    assert not ChildProtectionPlan.objects.exists()
    enquiry.refresh_from_db()
    assert enquiry.completed_on is None


def test_a_stale_page_is_refused_rather_than_overwriting(client, episode, dat_people):
    stale = episode.version
    services.cin_plan_start(
        actor=dat_people["sw2"], episode=episode, start_date=date(2026, 10, 2), version=stale
    )
    client.force_login(dat_people["socialworker"])
    response = client.post(
        _step_url(episode, "emergency-protection"),
        {
            "kind": "police",
            **_date("start_date", date(2026, 10, 3)),
            "details": "",
            "version": stale,
        },
    )
    assert response.status_code == 200
    assert "Someone else changed this child" in response.content.decode()
    assert not episode.emergency_protections.exists()


def test_a_plan_end_before_its_start_is_refused(client, episode, dat_people):
    services.cin_plan_start(
        actor=dat_people["socialworker"], episode=episode, start_date=date(2026, 10, 10)
    )
    episode.refresh_from_db()
    client.force_login(dat_people["socialworker"])
    response = client.post(
        _step_url(episode, "cin-plan-end"),
        {**_date("end_date", date(2026, 10, 9)), "end_reason": "met", "version": episode.version},
    )
    assert "A plan cannot end before it started" in response.content.decode()
    assert CINPlan.objects.get().end_date is None


def test_the_primary_need_can_be_recorded_before_the_assessment_gives_it(
    client, episode, dat_people
):
    from evident.audit.models import AuditEvent

    client.force_login(dat_people["socialworker"])
    page = client.get(reverse("casework:episode", args=[episode.pk])).content.decode()
    assert "Record the child&#x27;s primary need" in page
    refused = client.post(
        _step_url(episode, "primary-need"), {"primary_need": "", "version": episode.version}
    )
    assert "Select the child&#x27;s primary need" in refused.content.decode()
    saved = client.post(
        _step_url(episode, "primary-need"), {"primary_need": "N1", "version": episode.version}
    )
    assert saved.status_code == 302
    episode.refresh_from_db()
    assert episode.primary_need == "N1"
    assert AuditEvent.objects.filter(section="casework.primary_need").exists()
    # Once an assessment is authorised its primary need stands: the step is closed.
    assessment = services.assessment_start(
        actor=dat_people["socialworker"], episode=episode, start_date=date(2026, 10, 1)
    )
    services.assessment_record(
        actor=dat_people["socialworker"],
        assessment=assessment,
        factors=["2A"],
        outcome="cin_plan",
        completed_on=date(2026, 10, 5),
        primary_need="N2",
        child_views="",
    )
    services.assessment_authorise(
        actor=dat_people["manager"],
        assessment=assessment,
        authorised_on=date(2026, 10, 6),
        rationale="Agreed",
    )
    assert client.get(_step_url(episode, "primary-need")).status_code == 404


def test_recording_a_referral_directly(client, dat_people, dat_team, make_child):
    child = make_child("Dana", "Direct")
    client.force_login(dat_people["socialworker"])
    url = reverse("casework:referral_new")
    form = {
        "council_id": child.council_id,
        **_date("referral_date", date(2026, 11, 2)),
        "source": ReferralSource.HEALTH_GP,
        "team": str(dat_team.pk),
    }
    response = client.post(url, {**form, "council_id": "NOSUCHID"})
    assert "No child has that council ID" in response.content.decode()
    response = client.post(url, form)
    episode = Episode.objects.get(person=child)
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:episode", args=[episode.pk])
    again = client.post(url, form)
    assert "already has an open episode" in again.content.decode()
    assert Episode.objects.filter(person=child).count() == 1


def test_the_chronology_runs_from_referral_to_closure_and_filters(client, episode, dat_people):
    sw, manager = dat_people["socialworker"], dat_people["manager"]
    plan = services.cin_plan_start(actor=sw, episode=episode, start_date=date(2026, 10, 2))
    services.visit_record(
        actor=sw,
        episode=episode,
        purpose="cin_plan",
        visited_on=date(2026, 10, 9),
        child_seen=True,
        seen_alone=True,
        child_said="I like football",
    )
    services.cin_plan_end(actor=sw, plan=plan, end_date=date(2026, 11, 2), end_reason="met")
    services.episode_close(
        actor=manager,
        episode=episode,
        closed_on=date(2026, 11, 3),
        reason="RC7",
        primary_need="N5",
        rationale="Needs met",
    )
    client.force_login(sw)
    url = reverse("casework:chronology", args=[episode.person.pk])
    html = client.get(url).content.decode()
    order = [
        "Referral from Schools",
        "Child-in-need plan started",
        "I like football",
        "Child-in-need plan ended",
        "Episode closed: RC7",
    ]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    assert reverse("casework:episode", args=[episode.pk]) in html
    person_page = client.get(reverse("people:person", args=[episode.person.pk])).content.decode()
    assert url in person_page
    visits_only = client.get(url, {"type": "visit"}).content.decode()
    assert "I like football" in visits_only
    assert "Episode closed" not in visits_only
    assert AuditEvent.objects.filter(section="casework.chronology").count() == 2


def test_what_is_due_with_rag_and_working_days_left(episode, dat_people):
    sw = dat_people["socialworker"]
    services.assessment_start(actor=sw, episode=episode, start_date=date(2026, 10, 2))
    enquiry = _s47(episode, sw, held_on=date(2026, 11, 10))
    items = {
        item.what: item for item in selectors.due_items(episodes=Episode.objects.all(), today=TODAY)
    }
    # Referral 1 October + 45 working days = 3 December: 4 working days from 27 November.
    assert items["Assessment authorised"].due == date(2026, 12, 3)
    assert items["Assessment authorised"].days_left == 4
    assert items["Assessment authorised"].rag == Rag.AMBER
    assert items["Initial conference"].due == enquiry.conference_due == date(2026, 12, 1)
    services.initial_conference_record(
        actor=sw,
        enquiry=enquiry,
        held_on=date(2026, 11, 12),
        plan_made=True,
        category="EMO",
        rationale="Emotional harm",
        child_views="",
    )
    items = {
        item.what: item for item in selectors.due_items(episodes=Episode.objects.all(), today=TODAY)
    }
    assert "Initial conference" not in items
    assert items["First core group"].due == date(2026, 11, 26)
    assert items["First core group"].rag == Rag.RED
    assert items["Review conference"].due == date(2027, 2, 12)
    assert items["Statutory visit"].due == date(2026, 11, 26)


def test_the_due_tray_page_lists_the_workers_children(client, episode, dat_people):
    services.assessment_start(
        actor=dat_people["socialworker"], episode=episode, start_date=date(2026, 10, 2)
    )
    client.force_login(dat_people["socialworker"])
    html = client.get(reverse("casework:due")).content.decode()
    assert "Robin Referred" in html
    assert "Assessment authorised" in html
    client.force_login(dat_people["sw2"])
    assert "Robin Referred" not in client.get(reverse("casework:due")).content.decode()
    team = client.get(reverse("casework:due"), {"scope": "team"}).content.decode()
    assert "Robin Referred" in team


def test_caseloads_by_type_of_plan_for_managers_only(client, episode, dat_people):
    services.cin_plan_start(
        actor=dat_people["socialworker"], episode=episode, start_date=date(2026, 10, 2)
    )
    [row] = selectors.caseloads(user=dat_people["manager"])
    assert row.worker == dat_people["socialworker"]
    assert (row.cp, row.cin, row.assessment) == (0, 1, 0)
    client.force_login(dat_people["manager"])
    assert "Robin Referred" in client.get(reverse("casework:caseloads")).content.decode()
    client.force_login(dat_people["socialworker"])
    assert client.get(reverse("casework:caseloads")).status_code == 403


def test_the_panel_lists_long_plans_re_referrals_and_step_downs(
    client, episode, dat_people, dat_team, make_child, settings
):
    settings.CASEWORK_CIN_PANEL_MONTHS = 1
    sw = dat_people["socialworker"]
    services.cin_plan_start(actor=sw, episode=episode, start_date=date(2026, 10, 2))
    # A child closed in March and referred again in October: a re-referral.
    again = make_child("Rory", "Again")
    first = services.episode_record_referral(
        actor=sw, person=again, referral_date=date(2026, 3, 2), source="6", team=dat_team
    )
    services.episode_close(
        actor=dat_people["manager"],
        episode=first,
        closed_on=date(2026, 3, 9),
        reason="RC8",
        primary_need="N9",
        rationale="No further action",
    )
    services.episode_record_referral(
        actor=sw, person=again, referral_date=date(2026, 10, 20), source="6", team=dat_team
    )
    rows = {
        row.episode.person.first_name: row for row in selectors.panel_list(user=sw, today=TODAY)
    }
    assert rows["Robin"].reasons == [selectors.PanelReason.LONG_CIN_PLAN]
    assert rows["Rory"].reasons == [selectors.PanelReason.RE_REFERRED]
    client.force_login(dat_people["manager"])
    assert "Re-referred within 12 months" in client.get(reverse("casework:panel")).content.decode()
    episode.refresh_from_db()
    response = client.post(
        _step_url(episode, "panel"),
        {
            **_date("held_on", TODAY),
            "decision": "continue",
            "actions": "Review in 3 months",
            "version": episode.version,
        },
    )
    assert response.status_code == 302
    review = PanelReview.objects.get()
    assert review.reasons == ["long_cin_plan"]
    assert "Review in 3 months" in client.get(reverse("casework:panel")).content.decode()


def test_the_strategy_flag_clears_once_a_discussion_is_held(episode, dat_people):
    episode.strategy_discussion_required = True
    episode.strategy_discussion_due = date(2026, 10, 1)
    episode.save()
    steps = selectors.episode_steps(episode)
    assert [i.what for i in selectors.due_for_episode(steps, TODAY)] == ["Strategy discussion"]
    _s47(episode, dat_people["socialworker"], held_on=date(2026, 10, 1))
    steps = selectors.episode_steps(Episode.objects.get(pk=episode.pk))
    assert "Strategy discussion" not in [i.what for i in selectors.due_for_episode(steps, TODAY)]


def test_an_allocation_changes_team_and_keeps_the_history(episode, dat_people, council):
    from evident.accounts.models import Team
    from evident.accounts.services import team_get_or_create

    cin_team = team_get_or_create(name="CIN North", kind=Team.Kind.CIN_CP)
    dat_people["sw2"].teams.add(cin_team)
    services.episode_allocate(
        actor=dat_people["manager"], episode=episode, worker=dat_people["sw2"], team=cin_team
    )
    episode.refresh_from_db()
    assert episode.team == cin_team
    assert [a.team.name for a in episode.allocations.all()] == [
        "Duty and Assessment North",
        "Duty and Assessment North",
        "CIN North",
    ]
    assert episode.allocations.filter(ended_at__isnull=True).count() == 1
    assert timedelta(0) <= NOW - episode.allocated_at


def test_a_manager_transfers_an_episode_to_a_worker_in_another_team(client, episode, dat_people):
    from evident.accounts.models import Team
    from evident.accounts.services import team_get_or_create

    cin_team = team_get_or_create(name="CIN South", kind=Team.Kind.CIN_CP)
    dat_people["practitioner"].teams.add(cin_team)  # not a social worker: not offered
    dat_people["sw2"].teams.remove(*dat_people["sw2"].teams.all())
    dat_people["sw2"].teams.add(cin_team)
    client.force_login(dat_people["manager"])
    url = reverse("casework:allocate", args=[episode.pk])
    html = client.get(url).content.decode()
    assert "Sam Second (CIN South)" in html
    assert "Practitioner" not in html.split('id="referral-summary"')[1]
    response = client.post(url, {"worker": str(dat_people["sw2"].pk), "version": episode.version})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.team == cin_team
    assert episode.worker == dat_people["sw2"]
    # A second save from the same page is refused, not applied over the first.
    stale = client.post(url, {"worker": str(dat_people["sw2"].pk), "version": 1})
    assert stale.status_code == 404  # the episode has left the manager's team


def test_an_allocation_from_a_stale_page_is_refused(client, episode, dat_people):
    stale = episode.version
    services.cin_plan_start(
        actor=dat_people["socialworker"], episode=episode, start_date=date(2026, 10, 2)
    )
    client.force_login(dat_people["manager"])
    url = reverse("casework:allocate", args=[episode.pk])
    response = client.post(url, {"worker": str(dat_people["sw2"].pk), "version": stale})
    assert response.status_code == 200
    assert "Someone else changed this child" in response.content.decode()
    episode.refresh_from_db()
    assert episode.worker == dat_people["socialworker"]


def test_a_closure_day_added_later_moves_what_is_due(episode, dat_people):
    from evident.core.models import ClosureDay
    from evident.core.working_days import forget_calendar

    services.assessment_start(
        actor=dat_people["socialworker"], episode=episode, start_date=date(2026, 10, 2)
    )

    def assessment_due() -> date:
        items = selectors.due_items(episodes=Episode.objects.all(), today=TODAY)
        return next(i.due for i in items if i.what == "Assessment authorised")

    assert assessment_due() == date(2026, 12, 3)
    ClosureDay.objects.create(day=date(2026, 11, 30), reason="Snow")
    forget_calendar()
    assert assessment_due() == date(2026, 12, 4)


def test_the_due_tray_reads_a_fixed_number_of_queries_however_many_children(
    dat_people, dat_team, make_child, django_assert_max_num_queries
):
    sw = dat_people["socialworker"]
    for n in range(12):
        opened = services.episode_record_referral(
            actor=sw,
            person=make_child(f"Child{n}", "Many"),
            referral_date=date(2026, 10, 1),
            source="6",
            team=dat_team,
        )
        services.cin_plan_start(actor=sw, episode=opened, start_date=date(2026, 10, 2))
    with django_assert_max_num_queries(14):
        items = selectors.due_items(episodes=Episode.objects.all(), today=TODAY)
    assert len(items) == 24


def test_the_episode_shows_whether_the_child_was_seen_during_the_assessment(
    client, episode, dat_people
):
    sw = dat_people["socialworker"]
    services.assessment_start(actor=sw, episode=episode, start_date=date(2026, 10, 2))
    client.force_login(sw)
    url = reverse("casework:episode", args=[episode.pk])
    assert "Not yet" in client.get(url).content.decode()
    services.visit_record(
        actor=sw,
        episode=episode,
        purpose="assessment",
        visited_on=date(2026, 10, 6),
        child_seen=True,
        seen_alone=False,
        child_said="",
    )
    html = client.get(url).content.decode()
    seen_row = html.split("Child seen during the assessment")[1][:120]
    assert "Yes" in seen_row
