"""The MASH at the front door: urgency and its clock, information requests, the threshold
(level of need), consent not sought, the child's voice, overdue authorisations and the
council's standards page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evident.audit.models import AuditEvent
from evident.core.clocks import WorkingHoursRule, urgency_rule
from evident.core.working_days import WorkingDayCalendar, bank_holidays
from evident.front_door import selectors_mash, services, services_mash
from evident.front_door.models import (
    Contact,
    ContactChild,
    Decision,
    InformationRequest,
    LevelOfNeed,
    UrgencyStandard,
)
from evident.front_door.services_mash import ChildVoice
from evident.front_door.tests.conftest import MONDAY_10AM, frozen, london, mash_answers

EVERYONE = (
    "practitioner",
    "socialworker",
    "manager",
    "partner",
    "lado",
    "analyst",
    "leader",
    "admin",
    "nobody",
)
RECORDERS = {"practitioner", "manager"}


@pytest.fixture
def contact(make_contact, two_children, levels_of_need):
    return make_contact(two_children)


@pytest.fixture
def police_request(contact, personas, police):
    return services_mash.information_request_send(
        actor=personas["practitioner"],
        contact=contact,
        organisation=police,
        question="Any callouts to 1 High Street about Alex Smith?",
        due_at=london(2026, 11, 24, 10, 0),
        now=london(2026, 11, 23, 11, 0),
    )


# Working hours and the urgency clocks ------------------------------------------------------

# The pure rules get their calendar (bank holidays only), so they need no database.
CALENDAR = WorkingDayCalendar(bank=bank_holidays(2026, 2027))


@pytest.mark.parametrize(
    ("started", "due"),
    [
        (london(2026, 11, 23, 10, 0), london(2026, 11, 23, 14, 0)),  # Monday morning
        (london(2026, 11, 23, 15, 0), london(2026, 11, 24, 11, 0)),  # runs over to Tuesday
        (london(2026, 11, 23, 7, 30), london(2026, 11, 23, 13, 0)),  # before 09:00
        (london(2026, 11, 23, 18, 0), london(2026, 11, 24, 13, 0)),  # after 17:00
        (london(2026, 11, 27, 16, 0), london(2026, 11, 30, 12, 0)),  # Friday to Monday
        (london(2026, 11, 28, 12, 0), london(2026, 11, 30, 13, 0)),  # Saturday
        (london(2026, 11, 23, 13, 0), london(2026, 11, 23, 17, 0)),  # ends at 17:00
    ],
)
def test_four_working_hours_count_only_nine_to_five_on_working_days(started, due):
    rule = WorkingHoursRule(code="t", title="t", working_hours=4, statutory=False)
    assert rule.due_at(started, CALENDAR) == due


def test_a_red_contact_turns_amber_in_its_last_hour_and_red_once_overdue():
    rule = urgency_rule(urgency="red", amount=4, unit="hours")
    start = london(2026, 11, 23, 10, 0)
    due = rule.due_at(start, CALENDAR)
    assert rule.rag(start, due, london(2026, 11, 23, 12, 0)).value == "green"
    assert rule.rag(start, due, london(2026, 11, 23, 13, 30)).value == "amber"
    assert rule.rag(start, due, london(2026, 11, 23, 14, 1)).value == "red"


def test_urgency_in_working_days_counts_like_the_statutory_clock():
    rule = urgency_rule(urgency="green", amount=3, unit="days")
    assert rule.due_at(london(2026, 11, 23, 10, 0), CALENDAR) == london(2026, 11, 26, 10, 0)


def test_the_urgency_clock_follows_the_councils_standard(contact, personas):
    services_mash.contact_set_urgency(
        actor=personas["practitioner"], contact=contact, urgency="red", reason="Bruise on face"
    )
    contact.refresh_from_db()
    clock = selectors_mash.urgency_clock(contact=contact, now=london(2026, 11, 23, 11, 0))
    assert clock is not None
    assert clock.due_at == london(2026, 11, 23, 14, 0)
    assert clock.standard == "4 working hours"
    UrgencyStandard.objects.filter(urgency="red").update(amount=2)
    clock = selectors_mash.urgency_clock(contact=contact, now=london(2026, 11, 23, 11, 0))
    assert clock is not None
    assert clock.due_at == london(2026, 11, 23, 12, 0)


def test_without_saved_standards_the_defaults_apply(db):
    UrgencyStandard.objects.all().delete()
    standards = selectors_mash.urgency_standards()
    assert [(s.urgency, s.amount, s.unit) for s in standards.values()] == [
        ("red", 4, "hours"),
        ("amber", 1, "days"),
        ("green", 3, "days"),
    ]
    assert [s.length for s in standards.values()] == [
        "4 working hours",
        "1 working day",
        "3 working days",
    ]


# Urgency ----------------------------------------------------------------------------------


def test_setting_the_urgency_is_audited_once_per_child(contact, personas):
    services_mash.contact_set_urgency(
        actor=personas["practitioner"], contact=contact, urgency="amber", reason="Repeat calls"
    )
    contact.refresh_from_db()
    assert (contact.urgency, contact.urgency_reason) == ("amber", "Repeat calls")
    assert contact.urgency_set_by == personas["practitioner"]
    events = AuditEvent.objects.filter(section="front_door.urgency", action="update")
    assert events.count() == 2
    assert {e.person_id for e in events} == {row.person_id for row in contact.children.all()}


def test_urgency_needs_a_reason_and_a_real_colour(contact, personas):
    with pytest.raises(ValidationError) as exc:
        services_mash.contact_set_urgency(
            actor=personas["practitioner"], contact=contact, urgency="purple", reason=" "
        )
    assert set(exc.value.message_dict) == {"urgency", "reason"}
    contact.refresh_from_db()
    assert contact.urgency == ""


def test_a_social_worker_cannot_set_the_urgency(contact, personas):
    with pytest.raises(PermissionDenied):
        services_mash.contact_set_urgency(
            actor=personas["socialworker"], contact=contact, urgency="red", reason="x"
        )


@pytest.mark.parametrize("name", EVERYONE)
def test_the_urgency_page_answers_recorders_only(client, personas, contact, name):
    client.force_login(personas[name])
    response = client.get(reverse("front_door:urgency", kwargs={"contact_id": contact.pk}))
    assert response.status_code == (200 if name in RECORDERS else 403)


def test_the_contact_page_shows_the_urgency_beside_the_statutory_clock(client, personas, contact):
    client.force_login(personas["practitioner"])
    url = reverse("front_door:urgency", kwargs={"contact_id": contact.pk})
    with frozen(london(2026, 11, 23, 11, 0)):
        response = client.post(url, {"urgency": "red", "reason": "Bruise on the face"})
        assert response.status_code == 302
        page = client.get(
            reverse("front_door:contact", kwargs={"contact_id": contact.pk})
        ).content.decode()
    assert 'id="decision-due"' in page
    assert "Red urgency" in page
    assert "Response due Monday 23 November 2026 at 14:00 (4 working hours)" in page
    assert "Bruise on the face" in page


def test_a_bad_urgency_keeps_what_was_typed(client, personas, contact):
    client.force_login(personas["practitioner"])
    url = reverse("front_door:urgency", kwargs={"contact_id": contact.pk})
    html = client.post(url, {"reason": "Police asked us to hurry"}).content.decode()
    assert "govuk-error-summary" in html
    assert "Select how urgent the contact is" in html
    assert "Police asked us to hurry</textarea>" in html


def test_setting_the_urgency_says_which_colour(client, personas, contact):
    client.force_login(personas["practitioner"])
    url = reverse("front_door:urgency", kwargs={"contact_id": contact.pk})
    response = client.post(url, {"urgency": "red", "reason": "Injury seen today"}, follow=True)
    assert "Urgency set to red" in response.content.decode()


# Information requests ---------------------------------------------------------------------


def test_a_request_is_recorded_with_who_asked_and_audited(police_request, personas, police):
    assert police_request.organisation == police
    assert police_request.requested_by == personas["practitioner"]
    assert police_request.status == InformationRequest.Status.OPEN
    assert (
        AuditEvent.objects.filter(section="front_door.information_request", action="create").count()
        == 2
    )


def test_the_council_cannot_be_asked(contact, personas, council):
    with pytest.raises(ValidationError) as exc:
        services_mash.information_request_send(
            actor=personas["practitioner"],
            contact=contact,
            organisation=council,
            question="Anything?",
            due_at=london(2026, 11, 24, 10, 0),
            now=MONDAY_10AM,
        )
    assert "organisation" in exc.value.message_dict
    assert not InformationRequest.objects.exists()


def test_a_request_due_in_the_past_is_refused(contact, personas, police):
    with pytest.raises(ValidationError):
        services_mash.information_request_send(
            actor=personas["practitioner"],
            contact=contact,
            organisation=police,
            question="Anything?",
            due_at=london(2026, 11, 23, 9, 0),
            now=MONDAY_10AM,
        )


def test_the_default_due_time_is_one_working_day_or_the_urgency_if_sooner(contact, personas):
    now = london(2026, 11, 23, 11, 0)
    assert selectors_mash.information_request_default_due(contact=contact, now=now) == london(
        2026, 11, 24, 11, 0
    )
    services_mash.contact_set_urgency(
        actor=personas["practitioner"], contact=contact, urgency="red", reason="Injury"
    )
    contact.refresh_from_db()
    assert selectors_mash.information_request_default_due(contact=contact, now=now) == london(
        2026, 11, 23, 14, 0
    )


def test_an_answer_is_recorded_with_who_and_when(police_request, personas):
    services_mash.information_request_answer(
        actor=personas["partner"],
        request=police_request,
        answer="Two callouts in October.",
        now=london(2026, 11, 23, 15, 0),
    )
    police_request.refresh_from_db()
    assert police_request.status == InformationRequest.Status.ANSWERED
    assert police_request.answered_by == personas["partner"]
    assert police_request.answered_at == london(2026, 11, 23, 15, 0)
    with pytest.raises(ValidationError):
        services_mash.information_request_answer(
            actor=personas["partner"], request=police_request, answer="Again"
        )


def test_only_the_organisation_asked_can_answer(police_request, personas):
    for name in ("practitioner", "manager"):
        with pytest.raises(PermissionDenied):
            services_mash.information_request_answer(
                actor=personas[name], request=police_request, answer="From the council"
            )


def test_the_contact_page_lists_requests_and_flags_the_overdue(
    client, personas, police_request, contact
):
    client.force_login(personas["socialworker"])
    url = reverse("front_door:contact", kwargs={"contact_id": contact.pk})
    with frozen(london(2026, 11, 24, 9, 0)):
        page = client.get(url).content.decode()
    assert "Any callouts to 1 High Street about Alex Smith?" in page
    assert "Overdue</strong>" not in page
    client.force_login(personas["socialworker"])  # a new session: the last one timed out
    with frozen(london(2026, 11, 24, 10, 1)):
        page = client.get(url).content.decode()
    assert 'govuk-tag--red">Overdue</strong>' in page
    assert 'id="request-information"' not in page  # a social worker reads only


@pytest.mark.parametrize("name", EVERYONE)
def test_the_request_page_answers_recorders_only(client, personas, contact, name):
    client.force_login(personas[name])
    url = reverse("front_door:information_request_new", kwargs={"contact_id": contact.pk})
    assert client.get(url).status_code == (200 if name in RECORDERS else 403)


def test_a_practitioner_requests_information_from_the_contact_page(
    client, personas, contact, police, council
):
    client.force_login(personas["practitioner"])
    url = reverse("front_door:information_request_new", kwargs={"contact_id": contact.pk})
    with frozen(london(2026, 11, 23, 11, 0)):
        form = client.get(url).content.decode()
        # One working day ahead by default.
        assert 'value="24"' in form
        assert 'value="11:00"' in form
        assert f'<option value="{police.pk}">' in form
        assert f'<option value="{council.pk}">' not in form
        response = client.post(
            url,
            {
                "organisation": police.pk,
                "question": "Any history at the address?",
                "due_date_day": "24",
                "due_date_month": "11",
                "due_date_year": "2026",
                "due_time": "09:30",
            },
        )
    assert response.status_code == 302
    sent = InformationRequest.objects.get()
    assert (sent.organisation, sent.due_at) == (police, london(2026, 11, 24, 9, 30))


def test_a_request_without_a_question_is_refused_and_keeps_the_input(
    client, personas, contact, police
):
    client.force_login(personas["practitioner"])
    url = reverse("front_door:information_request_new", kwargs={"contact_id": contact.pk})
    with frozen(london(2026, 11, 23, 11, 0)):
        html = client.post(
            url,
            {
                "organisation": police.pk,
                "question": "",
                "due_date_day": "24",
                "due_date_month": "11",
                "due_date_year": "2026",
                "due_time": "09:30",
            },
        ).content.decode()
    assert "Enter what you are asking the partner" in html
    assert 'value="09:30"' in html
    assert not InformationRequest.objects.exists()


# Threshold and the child's voice on the decision ------------------------------------------


def test_the_decision_records_the_level_of_need_and_the_childs_voice(
    client, personas, contact, levels_of_need
):
    client.force_login(personas["practitioner"])
    url = reverse("front_door:decide", kwargs={"contact_id": contact.pk})
    answers = mash_answers(2, level=3, voice_known_2="not_applicable")
    response = client.post(
        url,
        {
            "outcome_1": "early_help",
            "rationale_1": "Needs support",
            "outcome_2": "early_help",
            "rationale_2": "Needs support",
            **answers,
        },
    )
    assert response.status_code == 302
    assert set(Decision.objects.values_list("level_of_need__number", flat=True)) == {3}
    first, second = ContactChild.objects.filter(contact=contact).order_by("id")
    assert (first.voice_known, first.voice_obtained) == ("yes", "directly")
    assert first.voice_views == "Wants to stay at home with mum"
    assert (second.voice_known, second.voice_views, second.voice_obtained) == (
        "not_applicable",
        "",
        "",
    )
    page = client.get(
        reverse("front_door:contact", kwargs={"contact_id": contact.pk})
    ).content.decode()
    assert "Level 3: Targeted or complex" in page
    assert "Wants to stay at home with mum" in page
    assert "Spoke to the child directly" in page


def test_the_decide_form_needs_a_level_and_the_views_when_known(client, personas, contact):
    client.force_login(personas["practitioner"])
    url = reverse("front_door:decide", kwargs={"contact_id": contact.pk})
    html = client.post(
        url,
        {
            "outcome_1": "nfa",
            "rationale_1": "Safe",
            "outcome_2": "nfa",
            "rationale_2": "Safe",
            "voice_known_1": "yes",
            "voice_known_2": "no",
            "level_2": str(LevelOfNeed.objects.get(number=1).pk),
        },
    ).content.decode()
    assert "Select the level of need for Alex Smith" in html
    assert "Enter Alex Smith&#x27;s views" in html
    assert "Select how Alex Smith&#x27;s views were obtained" in html
    assert (
        "Billie Smith&#x27;s views"
        not in html.split("govuk-error-summary__list")[1].split("</ul>")[0]
    )
    assert not Decision.objects.exists()


def test_the_service_refuses_a_voice_known_without_the_views(contact, personas, levels_of_need):
    rows = list(contact.children.all())
    with pytest.raises(ValidationError) as exc:
        services.contact_decide(
            actor=personas["practitioner"],
            contact=contact,
            decisions={row.pk: ("nfa", "Safe") for row in rows},
            levels_of_need={row.pk: levels_of_need[1].pk for row in rows},
            voices={rows[0].pk: ChildVoice(known="yes")},
        )
    assert "Enter Alex Smith's views" in exc.value.messages
    assert not Decision.objects.exists()


def test_the_authorise_page_shows_the_level_of_need(client, personas, contact, levels_of_need):
    rows = list(contact.children.all())
    services.contact_decide(
        actor=personas["practitioner"],
        contact=contact,
        decisions={row.pk: ("nfa", "Safe") for row in rows},
        levels_of_need={row.pk: levels_of_need[1].pk for row in rows},
        voices={row.pk: ChildVoice(known="no") for row in rows},
    )
    client.force_login(personas["manager"])
    page = client.get(
        reverse("front_door:authorise", kwargs={"contact_id": contact.pk})
    ).content.decode()
    assert page.count("Level 1: Universal") == 2


# Consent ----------------------------------------------------------------------------------


def test_consent_not_sought_needs_the_reason(make_contact, two_children):
    with pytest.raises(ValidationError) as exc:
        make_contact(two_children, consent=Contact.Consent.NOT_SOUGHT)
    assert exc.value.message_dict["consent_reason"] == [
        "Enter why consent was not sought, for example a risk to the child"
    ]
    contact = make_contact(
        two_children,
        consent=Contact.Consent.NOT_SOUGHT,
        consent_reason="Asking would alert the alleged abuser",
    )
    assert contact.get_consent_display() == "Not sought"
    assert contact.consent_reason == "Asking would alert the alleged abuser"


# Management oversight ---------------------------------------------------------------------


def test_an_authorisation_is_overdue_once_the_decision_is_due(client, personas, contact):
    services.contact_decide(
        actor=personas["practitioner"],
        contact=contact,
        decisions={row.pk: ("nfa", "Safe") for row in contact.children.all()},
        now=london(2026, 11, 23, 15, 0),
    )
    client.force_login(personas["manager"])
    url = reverse("front_door:authorisations")
    flag = f'id="authorisation-overdue-{contact.pk}"'
    with frozen(london(2026, 11, 24, 9, 59)):
        page = client.get(url).content.decode()
    assert contact.reference in page
    assert flag not in page
    with frozen(london(2026, 11, 24, 10, 1)):
        assert flag in client.get(url).content.decode()


# The council's standards ------------------------------------------------------------------


@pytest.mark.parametrize("name", EVERYONE)
def test_only_administrators_reach_the_standards_page(client, personas, name, levels_of_need):
    client.force_login(personas[name])
    for url in (
        reverse("front_door:standards"),
        reverse("front_door:level_of_need_add"),
        reverse("front_door:level_of_need", kwargs={"level_id": levels_of_need[1].pk}),
    ):
        assert client.get(url).status_code == (200 if name == "admin" else 403)


def test_an_administrator_changes_the_response_times(client, personas, levels_of_need):
    client.force_login(personas["admin"])
    url = reverse("front_door:standards")
    page = client.get(url).content.decode()
    assert "Level 4: Statutory" not in page  # the table shows number and name apart
    assert "Statutory (children&#x27;s social care)" in page
    data = {
        "red_amount": "2",
        "red_unit": "hours",
        "amber_amount": "8",
        "amber_unit": "hours",
        "green_amount": "2",
        "green_unit": "days",
    }
    assert client.post(url, data).status_code == 302
    assert {(s.urgency, s.amount, s.unit) for s in UrgencyStandard.objects.all()} == {
        ("red", 2, "hours"),
        ("amber", 8, "hours"),
        ("green", 2, "days"),
    }
    assert AuditEvent.objects.filter(section="front_door.standards").exists()
    html = client.post(url, {**data, "red_amount": "0"}).content.decode()
    assert "The response time for red must be 1 or more" in html
    assert UrgencyStandard.objects.get(urgency="red").amount == 2


def test_an_administrator_renames_and_adds_levels(client, personas, levels_of_need):
    client.force_login(personas["admin"])
    change = reverse("front_door:level_of_need", kwargs={"level_id": levels_of_need[2].pk})
    response = client.post(change, {"number": "2", "name": "Early help (single agency)"})
    assert response.status_code == 302
    assert LevelOfNeed.objects.get(number=2).name == "Early help (single agency)"
    add = reverse("front_door:level_of_need_add")
    html = client.post(add, {"number": "3", "name": "Duplicate"}).content.decode()
    assert "There is already a level 3" in html
    assert client.post(add, {"number": "5", "name": "Specialist"}).status_code == 302
    assert list(LevelOfNeed.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


def test_the_contact_page_queries_do_not_grow_with_requests_and_decisions(
    client, personas, contact, police, levels_of_need
):
    rows = list(contact.children.all())
    services.contact_decide(
        actor=personas["practitioner"],
        contact=contact,
        decisions={row.pk: ("nfa", "Safe") for row in rows},
        levels_of_need={row.pk: levels_of_need[1].pk for row in rows},
        voices={row.pk: ChildVoice(known="no") for row in rows},
    )
    url = reverse("front_door:contact", kwargs={"contact_id": contact.pk})
    client.force_login(personas["practitioner"])

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count()  # the first request of a session does more (sign-in bookkeeping)
    before = count()
    for n in range(3):
        sent = services_mash.information_request_send(
            actor=personas["practitioner"],
            contact=contact,
            organisation=police,
            question=f"Question {n}",
            due_at=london(2027, 1, 4, 10, 0),
            now=MONDAY_10AM,
        )
        services_mash.information_request_answer(
            actor=personas["partner"], request=sent, answer=f"Answer {n}"
        )
    assert count() == before
