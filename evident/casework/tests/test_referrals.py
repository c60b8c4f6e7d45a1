"""A referral authorised at the front door opens an episode in the duty team's tray."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from evident.accounts.models import Team
from evident.audit.models import AuditEvent
from evident.casework.models import Episode
from evident.casework.services import (
    DEFAULT_DAT_TEAM_NAME,
    episode_allocate,
    episode_open_for_referral,
    strategy_discussion_due,
)
from evident.casework.tests.conftest import MONDAY_2PM, london
from evident.core.codes import ReferralSource
from evident.core.working_days import WorkingDayCalendar
from evident.front_door import services
from evident.front_door.models import Contact, Decision, EarlyHelpEpisode

pytestmark = pytest.mark.django_db

REFERRAL = Decision.Outcome.REFERRAL
STRATEGY = Decision.Outcome.STRATEGY_DISCUSSION


# Opening the episode ------------------------------------------------------------------------


def test_authorising_a_referral_opens_an_episode_with_the_contacts_date_and_source(
    dat_people, dat_team, make_child, decided
):
    child = make_child()
    contact = decided(
        [child], [REFERRAL], received_at=london(2026, 11, 20, 23, 30), source=ReferralSource.SCHOOLS
    )
    episode = Episode.objects.get(person=child)
    assert episode.referral_date == date(2026, 11, 20)  # UK date of the contact
    assert episode.referral_source == ReferralSource.SCHOOLS
    assert episode.contact_child is not None
    assert episode.contact_child.contact == contact
    assert episode.team == dat_team
    assert episode.worker is None
    assert not episode.strategy_discussion_required
    assert episode.strategy_discussion_due is None
    # The allocation history starts with the duty team, no worker yet.
    [allocation] = episode.allocations.all()
    assert allocation.team == dat_team
    assert allocation.worker is None
    event = AuditEvent.objects.get(record_type="casework.episode", action=AuditEvent.Action.CREATE)
    assert event.person_id == child.pk
    assert event.detail["team"] == dat_team.name


def test_a_strategy_discussion_is_flagged_for_the_same_working_day(dat_people, make_child, decided):
    child = make_child()
    decided([child], [STRATEGY], authorised_at=MONDAY_2PM)
    episode = Episode.objects.get(person=child)
    assert episode.strategy_discussion_required
    assert episode.strategy_discussion_due == date(2026, 11, 23)


def test_a_strategy_discussion_decided_on_a_saturday_is_due_on_monday():
    calendar = WorkingDayCalendar(bank=frozenset())
    assert strategy_discussion_due(london(2026, 11, 28, 9, 0), calendar) == date(2026, 11, 30)
    # Late on a Friday evening is still that Friday.
    assert strategy_discussion_due(london(2026, 11, 27, 23, 0), calendar) == date(2026, 11, 27)


def test_the_referral_goes_to_the_first_duty_team_by_name(dat_people, make_child, decided):
    Team.objects.create(
        name="A Duty Team",
        kind=Team.Kind.DUTY_ASSESSMENT,
        organisation=dat_people["manager"].organisation,
    )
    child = make_child()
    decided([child], [REFERRAL])
    assert Episode.objects.get(person=child).team.name == "A Duty Team"


def test_a_council_without_a_duty_team_gets_one_rather_than_a_failed_authorisation(
    personas, make_child, decided
):
    child = make_child()
    decided([child], [REFERRAL])
    team = Episode.objects.get(person=child).team
    assert team.name == DEFAULT_DAT_TEAM_NAME
    assert team.kind == Team.Kind.DUTY_ASSESSMENT


def test_siblings_outcomes_carry_on_separately(dat_people, make_child, decided):
    referred, helped, nothing = make_child("Ann"), make_child("Ben"), make_child("Cat")
    decided([referred, helped, nothing], [REFERRAL, Decision.Outcome.EARLY_HELP, "nfa"])
    assert list(Episode.objects.values_list("person_id", flat=True)) == [referred.pk]
    assert list(EarlyHelpEpisode.objects.values_list("person_id", flat=True)) == [helped.pk]


def test_a_referral_while_an_episode_is_open_joins_it_rather_than_opening_another(
    dat_people, make_child, decided
):
    child = make_child()
    decided([child], [REFERRAL], received_at=london(2026, 11, 16, 10, 0))
    [episode] = Episode.objects.filter(person=child)
    version = episode.version
    again = decided([child], [STRATEGY], source=ReferralSource.SCHOOLS)
    # One episode, still the first referral's date and source; the strategy discussion the
    # second decision asks for is flagged on it.
    [joined] = Episode.objects.filter(person=child)
    assert joined.pk == episode.pk
    assert joined.referral_date == date(2026, 11, 16)
    assert joined.referral_source == ReferralSource.POLICE
    assert joined.strategy_discussion_required
    assert joined.strategy_discussion_due == date(2026, 11, 23)
    assert joined.version == version + 1
    assert not Episode.objects.filter(contact_child__contact=again).exists()
    event = AuditEvent.objects.get(
        section="casework.referral", action=AuditEvent.Action.UPDATE, record_id=str(episode.pk)
    )
    assert event.person_id == child.pk
    assert event.detail["contact"] == again.reference
    assert event.detail["joined_open_episode"] is True
    assert event.detail["source"] == ReferralSource.SCHOOLS


def test_the_contact_page_says_which_open_episode_the_referral_joined(
    client, dat_people, make_child, decided
):
    child = make_child()
    first = decided([child], [REFERRAL], received_at=london(2026, 11, 16, 10, 0))
    again = decided([child], [REFERRAL])
    client.force_login(dat_people["manager"])
    html = client.get(reverse("front_door:contact", args=[again.pk])).content.decode()
    assert "What happens next" in html
    assert "Recorded on the open episode referred on 16 November 2026" in html
    # The first contact still shows the episode it opened.
    html = client.get(reverse("front_door:contact", args=[first.pk])).content.decode()
    assert "Allocated to" in html
    assert "Recorded on the open episode" not in html


def test_a_joined_referral_is_recorded_once_however_often_it_is_carried_on(
    dat_people, make_child, decided
):
    child = make_child()
    decided([child], [REFERRAL], received_at=london(2026, 11, 16, 10, 0))
    again = decided([child], [REFERRAL])
    row = again.children.get()
    episode = episode_open_for_referral(
        actor=dat_people["manager"], contact_child=row, strategy_discussion=False
    )
    assert Episode.objects.filter(person=child).count() == 1
    assert (
        AuditEvent.objects.filter(
            section="casework.referral", record_id=str(episode.pk), detail__contact=again.reference
        ).count()
        == 1
    )


def test_a_referral_after_the_episode_closed_opens_a_new_one(dat_people, make_child, decided):
    child = make_child()
    decided([child], [REFERRAL], received_at=london(2026, 11, 2, 10, 0))
    Episode.objects.filter(person=child).update(
        closed_on=date(2026, 11, 13), closure_reason="RC8", referral_nfa=True
    )
    decided([child], [REFERRAL])
    assert list(
        Episode.objects.filter(person=child)
        .order_by("referral_date")
        .values_list("referral_date", "closed_on")
    ) == [(date(2026, 11, 2), date(2026, 11, 13)), (date(2026, 11, 23), None)]


def test_a_refused_authorisation_opens_nothing(dat_people, make_child, personas):
    child = make_child()
    contact = services.contact_record(
        actor=personas["manager"],
        received_at=london(2026, 11, 23, 10, 0),
        source=ReferralSource.POLICE,
        concern="A concern",
        consent=Contact.Consent.GIVEN,
        children=[child.pk],
        now=london(2026, 11, 23, 10, 0),
    )
    row = contact.children.get()
    services.contact_decide(
        actor=personas["manager"], contact=contact, decisions={row.pk: (REFERRAL, "Why")}
    )
    with pytest.raises(ValidationError):
        # Nobody authorises their own proposal.
        services.contact_authorise(actor=personas["manager"], contact=contact)
    assert not Episode.objects.exists()


# Telling the referrer -----------------------------------------------------------------------


def test_the_referrer_is_emailed_the_outcome_without_the_childs_name(
    dat_people, make_child, decided, django_capture_on_commit_callbacks
):
    child = make_child("Zebedee", "Quill")
    with django_capture_on_commit_callbacks(execute=True):
        contact = decided([child], [REFERRAL], referrer_email="teacher@school.example")
    [message] = mail.outbox
    assert message.to == ["teacher@school.example"]
    assert contact.reference in message.subject
    assert "accepted a referral" in message.body
    for secret in ("Zebedee", "Quill", "domestic incident"):
        assert secret not in message.body
        assert secret not in message.subject
    contact.refresh_from_db()
    assert contact.referrer_told_at is not None


def test_no_email_before_the_decision_is_committed(
    dat_people, make_child, decided, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        contact = decided([make_child()], ["nfa"], referrer_email="gp@health.example")
    assert mail.outbox == []
    assert len(callbacks) == 1
    contact.refresh_from_db()
    assert contact.referrer_told_at is None


def test_a_mail_failure_leaves_the_decision_saved_and_the_referrer_untold(
    dat_people, make_child, decided, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(**kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("evident.front_door.outcomes.send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        contact = decided([make_child()], [REFERRAL], referrer_email="gp@health.example")
    contact.refresh_from_db()
    assert contact.closed_at is not None
    assert contact.referrer_told_at is None
    assert Episode.objects.count() == 1


def test_a_referrer_without_an_email_address_is_not_emailed(
    dat_people, make_child, decided, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = decided([make_child()], [REFERRAL])
    assert mail.outbox == []
    contact.refresh_from_db()
    assert contact.referrer_told_at is None


# The duty team's tray -------------------------------------------------------------------------


def test_the_tray_lists_the_teams_referrals_newest_first_with_the_strategy_flag(
    client, dat_people, make_child, decided, monkeypatch
):
    older, newer = make_child("Older", "Child"), make_child("Newer", "Child")
    decided([older], [REFERRAL], received_at=london(2026, 11, 20, 9, 0))
    decided([newer], [STRATEGY])
    monkeypatch.setattr("django.utils.timezone.now", lambda: london(2026, 11, 23, 16, 0))
    client.force_login(dat_people["socialworker"])
    response = client.get(reverse("casework:referrals"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Newer Child") < html.index("Older Child")
    assert "Strategy discussion due today" in html
    assert 'govuk-tag--red" id="strategy-' in html
    assert html.count("Strategy discussion due today") == 1
    # Each child listed is a read of their record.
    read = set(
        AuditEvent.objects.filter(section="casework.referrals").values_list("person_id", flat=True)
    )
    assert read == {older.pk, newer.pk}


def test_the_tray_shows_only_the_users_own_teams_referrals(client, dat_people, make_child, decided):
    decided([make_child("Hidden", "Child")], [REFERRAL])
    client.force_login(dat_people["other_manager"])
    response = client.get(reverse("casework:referrals"))
    assert response.status_code == 200
    assert "Hidden Child" not in response.content.decode()
    assert "There are no open referrals" in response.content.decode()


@pytest.mark.parametrize("persona", ["practitioner", "partner", "analyst", "lado", "nobody"])
def test_people_outside_duty_casework_cannot_open_the_tray(client, dat_people, persona):
    client.force_login(dat_people[persona])
    assert client.get(reverse("casework:referrals")).status_code == 403


def test_the_navigation_offers_referrals_to_social_workers_and_managers(client, dat_people):
    for persona, shown in (("socialworker", True), ("manager", True), ("practitioner", False)):
        client.force_login(dat_people[persona])
        html = client.get(reverse("core:home")).content.decode()
        assert (reverse("casework:referrals") in html) is shown, persona


# Allocation -----------------------------------------------------------------------------------


def test_a_manager_allocates_a_referral_to_a_social_worker_in_the_team(
    client, dat_people, make_child, decided
):
    child = make_child()
    decided([child], [REFERRAL])
    episode = Episode.objects.get()
    client.force_login(dat_people["manager"])
    url = reverse("casework:allocate", args=[episode.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Sam Second" in page.content.decode()
    response = client.post(url, {"worker": str(dat_people["sw2"].pk)})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.worker == dat_people["sw2"]
    assert episode.allocated_at is not None
    assert AuditEvent.objects.filter(
        section="casework.allocation", action=AuditEvent.Action.UPDATE, person_id=child.pk
    ).exists()
    tray = client.get(reverse("casework:referrals")).content.decode()
    assert "Sam Second" in tray


def test_allocating_without_choosing_a_worker_says_so_and_saves_nothing(
    client, dat_people, make_child, decided
):
    decided([make_child()], [REFERRAL])
    episode = Episode.objects.get()
    client.force_login(dat_people["manager"])
    response = client.post(reverse("casework:allocate", args=[episode.pk]), {"worker": ""})
    assert response.status_code == 200
    assert "Select a social worker to allocate the referral to" in response.content.decode()
    episode.refresh_from_db()
    assert episode.worker is None


def test_a_worker_outside_the_team_cannot_be_allocated(dat_people, make_child, decided):
    decided([make_child()], [REFERRAL])
    episode = Episode.objects.get()
    with pytest.raises(ValidationError):
        episode_allocate(
            actor=dat_people["manager"], episode=episode, worker=dat_people["practitioner"]
        )
    episode.refresh_from_db()
    assert episode.worker is None


def test_a_manager_of_another_team_gets_not_found(client, dat_people, make_child, decided):
    decided([make_child()], [REFERRAL])
    episode = Episode.objects.get()
    client.force_login(dat_people["other_manager"])
    url = reverse("casework:allocate", args=[episode.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"worker": str(dat_people["sw2"].pk)}).status_code == 404


@pytest.mark.parametrize("persona", ["socialworker", "practitioner", "partner", "nobody"])
def test_only_managers_allocate(client, dat_people, make_child, decided, persona):
    decided([make_child()], [REFERRAL])
    episode = Episode.objects.get()
    client.force_login(dat_people[persona])
    url = reverse("casework:allocate", args=[episode.pk])
    assert client.post(url, {"worker": str(dat_people["sw2"].pk)}).status_code == 403
    episode.refresh_from_db()
    assert episode.worker is None
