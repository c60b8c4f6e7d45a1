"""Work trays: filters (MOJ "filter a list"), sorting, paging with filters, team trays."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from evident.accounts.models import Team
from evident.accounts.roles import Role
from evident.accounts.services import team_get_or_create
from evident.core.clocks import Rag
from evident.core.codes import ReferralSource
from evident.front_door import selectors, services
from evident.front_door.models import Contact, Decision, Urgency
from evident.front_door.selectors import ContactStatus, TrayFilters, TraySort
from evident.front_door.services_mash import contact_set_urgency
from evident.front_door.tests.conftest import frozen, london

THURSDAY_10AM = london(2026, 11, 26, 10, 0)


def _decide(contact, actor):
    return services.contact_decide(
        actor=actor,
        contact=contact,
        decisions={
            row.pk: (Decision.Outcome.NO_FURTHER_ACTION, "Safe") for row in contact.children.all()
        },
    )


def _refs(user, now=THURSDAY_10AM, **filters):
    page = selectors.tray_page(user=user, page_number=1, now=now, filters=TrayFilters(**filters))
    return [row.contact.reference for row in page.rows]


@pytest.fixture
def three_statuses(make_contact, make_child, personas):
    """One contact awaiting a decision, one awaiting authorisation, one returned."""
    waiting = make_contact([make_child("Ola")], received_at=london(2026, 11, 23, 9, 0))
    proposed = make_contact([make_child("Ben")], received_at=london(2026, 11, 25, 12, 0))
    returned = make_contact([make_child("Cat")], received_at=london(2026, 11, 26, 9, 0))
    _decide(proposed, personas["practitioner"])
    _decide(returned, personas["practitioner"])
    services.contact_return(actor=personas["manager"], contact=returned, comment="More work")
    return waiting, proposed, returned


def test_the_tray_filters_by_status(three_statuses, personas):
    waiting, proposed, returned = three_statuses
    user = personas["practitioner"]
    assert _refs(user, statuses=(ContactStatus.AWAITING_DECISION,)) == [waiting.reference]
    assert _refs(user, statuses=(ContactStatus.AWAITING_AUTHORISATION,)) == [proposed.reference]
    assert _refs(user, statuses=(ContactStatus.RETURNED,)) == [returned.reference]
    both = (ContactStatus.AWAITING_DECISION, ContactStatus.RETURNED)
    assert _refs(user, statuses=both) == [waiting.reference, returned.reference]


def test_the_status_filter_agrees_with_the_status_shown(three_statuses, personas):
    for status in selectors.TRAY_STATUSES:
        page = selectors.tray_page(
            user=personas["practitioner"],
            page_number=1,
            now=THURSDAY_10AM,
            filters=TrayFilters(statuses=(status,)),
        )
        assert [row.status for row in page.rows] == [status]


def test_the_tray_filters_by_red_amber_green(three_statuses, personas):
    # Thursday 10:00: Monday's is overdue, Wednesday noon's due soon, Thursday's on track.
    waiting, proposed, returned = three_statuses
    user = personas["practitioner"]
    assert _refs(user, rags=(Rag.RED,)) == [waiting.reference]
    assert _refs(user, rags=(Rag.AMBER,)) == [proposed.reference]
    assert _refs(user, rags=(Rag.GREEN,)) == [returned.reference]
    assert _refs(user, rags=(Rag.RED, Rag.GREEN)) == [waiting.reference, returned.reference]


def test_the_tray_filters_by_source_and_received_date(make_contact, make_child, personas):
    police = make_contact([make_child("Ola")], received_at=london(2026, 11, 23, 9, 0))
    school = make_contact(
        [make_child("Ben")], received_at=london(2026, 11, 24, 23, 30), source=ReferralSource.SCHOOLS
    )
    late = make_contact([make_child("Cat")], received_at=london(2026, 11, 25, 0, 30))
    user = personas["practitioner"]
    assert _refs(user, sources=(ReferralSource.SCHOOLS,)) == [school.reference]
    # Whole London days, both ends included.
    assert _refs(user, received_from=date(2026, 11, 24)) == [school.reference, late.reference]
    assert _refs(user, received_to=date(2026, 11, 24)) == [police.reference, school.reference]
    assert _refs(user, received_from=date(2026, 11, 24), received_to=date(2026, 11, 24)) == [
        school.reference
    ]


def test_the_tray_filters_by_who_the_contact_is_allocated_to(
    make_contact, make_child, personas, make_user
):
    other = make_user("otherpractitioner", Role.PRACTITIONER)
    mine = make_contact([make_child("Ola")], received_at=london(2026, 11, 23, 9, 0))
    theirs = make_contact([make_child("Ben")], received_at=london(2026, 11, 24, 9, 0))
    nobodys = make_contact([make_child("Cat")], received_at=london(2026, 11, 25, 9, 0))
    services.contact_take(actor=personas["practitioner"], contact=mine)
    services.contact_take(actor=other, contact=theirs)
    user = personas["practitioner"]
    assert _refs(user, allocated="me") == [mine.reference]
    assert _refs(user, allocated="unallocated") == [nobodys.reference]
    assert _refs(user, allocated=str(other.pk)) == [theirs.reference]
    assert _refs(user) == [mine.reference, theirs.reference, nobodys.reference]


def test_the_tray_sorts_by_due_time_received_or_reference(make_contact, make_child, personas):
    # Recorded out of order: references follow recording, not receipt.
    second = make_contact([make_child("Ola")], received_at=london(2026, 11, 24, 9, 0))
    first = make_contact([make_child("Ben")], received_at=london(2026, 11, 23, 9, 0))
    third = make_contact([make_child("Cat")], received_at=london(2026, 11, 25, 9, 0))
    user = personas["practitioner"]
    due = [first.reference, second.reference, third.reference]
    assert _refs(user) == due
    assert _refs(user, sort=TraySort.RECEIVED) == list(reversed(due))
    assert _refs(user, sort=TraySort.REFERENCE) == sorted(due)


# The page ---------------------------------------------------------------------------------


def test_the_filtered_tray_says_how_many_match_and_shows_removable_tags(
    client, three_statuses, personas
):
    waiting, _proposed, returned = three_statuses
    client.force_login(personas["practitioner"])
    with frozen(THURSDAY_10AM):
        page = client.get(
            reverse("front_door:tray") + "?status=awaiting_decision&status=returned&rag=red"
        ).content.decode()
    assert "1 contact matches" in page
    assert waiting.reference in page
    assert returned.reference not in page
    tags = {
        label.strip(): href
        for href, label in re.findall(
            r'class="moj-filter__tag" href="([^"]+)"><span[^>]*>Remove this filter</span>([^<]+)<',
            page,
        )
    }
    assert set(tags) == {"Awaiting decision", "Returned", "Overdue"}
    # Taking a tag off keeps the other filters.
    assert tags["Overdue"] == "?status=awaiting_decision&amp;status=returned"
    assert tags["Returned"] == "?status=awaiting_decision&amp;rag=red"


def test_paging_keeps_the_filters(client, make_contact, make_child, personas):
    child = make_child()
    for _ in range(26):
        make_contact([child], source=ReferralSource.SCHOOLS)
    make_contact([child])  # police: filtered out
    client.force_login(personas["practitioner"])
    url = reverse("front_door:tray") + f"?source={ReferralSource.SCHOOLS.value}"
    first = client.get(url).content.decode()
    assert "26 contacts match" in first
    assert first.count('id="contact-') == 25
    assert f'href="?source={ReferralSource.SCHOOLS.value}&amp;page=2"' in first
    second = client.get(url + "&page=2").content.decode()
    assert second.count('id="contact-') == 1


def test_a_filter_typed_wrongly_is_reported_and_the_others_still_apply(
    client, three_statuses, personas
):
    waiting, _proposed, returned = three_statuses
    client.force_login(personas["practitioner"])
    with frozen(THURSDAY_10AM):
        response = client.get(
            reverse("front_door:tray")
            + "?status=returned&rag=purple&received_from_day=31&received_from_month=2"
            "&received_from_year=2026"
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select overdue, due soon or on track" in page
    assert "The received from must be a real date" in page
    assert returned.reference in page
    assert waiting.reference not in page


def test_the_filter_links_carry_codes_never_a_childs_details(client, three_statuses, personas):
    client.force_login(personas["practitioner"])
    page = client.get(
        reverse("front_door:tray") + "?status=awaiting_decision&rag=red&allocated=unallocated"
    ).content.decode()
    links = re.findall(r'href="(\?[^"]*)"', page)
    assert links
    for link in links:
        assert not re.search(r"Ola|Ben|Cat|Smith", link)


def test_the_tray_with_filters_runs_a_fixed_number_of_queries(
    client, personas, make_contact, make_child, django_assert_num_queries
):
    client.force_login(personas["practitioner"])
    url = reverse("front_door:tray") + "?status=awaiting_decision&rag=red&rag=amber&sort=received"
    for number in range(3):
        make_contact([make_child(f"Child{number}"), make_child(f"Sibling{number}")])
    with frozen(THURSDAY_10AM):
        client.get(url)  # the working-day calendar (closure days) is read once and kept
    # Session, user, organisation, roles, practitioners, teams, the receipt times for
    # red/amber/green, count, the urgency standards, page, children, submitted children,
    # audit (savepoint, insert, release), session save (savepoint, update, release).
    with frozen(THURSDAY_10AM), django_assert_num_queries(18):
        small = client.get(url)
    for number in range(3, 25):
        make_contact([make_child(f"Child{number}"), make_child(f"Sibling{number}")])
    with frozen(THURSDAY_10AM), django_assert_num_queries(18):
        large = client.get(url)
    assert small.content.decode().count('id="contact-') == 3
    # The rows' links, built from one reverse() per page, are the contact pages' URLs.
    for contact in Contact.objects.all():
        assert f'href="{reverse("front_door:contact", kwargs={"contact_id": contact.pk})}"' in (
            large.content.decode()
        )
    assert large.content.decode().count('id="contact-') == 25  # a full page


def test_the_live_clocks_follow_the_filtered_rows(client, three_statuses, personas):
    _waiting, proposed, _returned = three_statuses
    client.force_login(personas["practitioner"])
    with frozen(THURSDAY_10AM):
        page = client.get(reverse("front_door:tray") + "?rag=amber").content.decode()
    found = re.search(r'hx-get="([^"]+)"', page)
    assert found is not None
    poll = found.group(1).replace("&amp;", "&")
    assert poll == reverse("front_door:tray_clocks") + f"?c={proposed.pk}"
    with frozen(THURSDAY_10AM):
        clocks = client.get(poll).content.decode()
    assert f'id="rag-{proposed.pk}"' in clocks
    assert "Due soon" in clocks


# Team trays -------------------------------------------------------------------------------


def test_a_team_tray_shows_contacts_allocated_to_the_teams_members(
    client, make_contact, make_child, personas, make_user
):
    front_door = Team.objects.get(name="Front Door (MASH)")
    outsider = make_user("outsider", Role.PRACTITIONER)
    elsewhere = team_get_or_create(name="Duty and Assessment", kind=Team.Kind.DUTY_ASSESSMENT)
    outsider.teams.set([elsewhere])
    ours = make_contact([make_child("Ola")], received_at=london(2026, 11, 23, 9, 0))
    theirs = make_contact([make_child("Ben")], received_at=london(2026, 11, 24, 9, 0))
    unallocated = make_contact([make_child("Cat")], received_at=london(2026, 11, 25, 9, 0))
    services.contacts_allocate(
        actor=personas["manager"], contacts=[ours], to=personas["practitioner"]
    )
    theirs.allocated_to = outsider
    theirs.save(update_fields=["allocated_to"])
    client.force_login(personas["socialworker"])  # a member of the front-door team
    page = client.get(reverse("front_door:tray") + f"?team={front_door.pk}").content.decode()
    assert "Front Door (MASH): open contacts" in page
    assert ours.reference in page
    assert theirs.reference not in page
    assert unallocated.reference not in page
    everything = client.get(reverse("front_door:tray")).content.decode()
    assert f'href="/front-door/contacts/?team={front_door.pk}"' in everything


def test_a_team_tray_of_a_team_the_user_is_not_in_is_not_found(client, personas):
    elsewhere = team_get_or_create(name="Duty and Assessment", kind=Team.Kind.DUTY_ASSESSMENT)
    client.force_login(personas["practitioner"])
    assert client.get(reverse("front_door:tray") + f"?team={elsewhere.pk}").status_code == 404
    assert client.get(reverse("front_door:tray") + "?team=nonsense").status_code == 404


@pytest.mark.parametrize("name", ["partner", "lado", "analyst", "leader", "admin", "nobody"])
def test_people_without_tray_access_cannot_filter_it(client, personas, name):
    client.force_login(personas[name])
    assert client.get(reverse("front_door:tray") + "?status=returned").status_code == 403


def test_a_received_date_filter_shows_as_a_tag_that_takes_off_all_three_boxes(
    client, three_statuses, personas
):
    waiting, proposed, returned = three_statuses
    client.force_login(personas["practitioner"])
    page = client.get(
        reverse("front_door:tray")
        + "?received_from_day=25&received_from_month=11&received_from_year=2026"
        "&status=awaiting_decision&status=returned"
    ).content.decode()
    assert "Received from" in page
    assert "25 November 2026" in page
    assert returned.reference in page
    assert waiting.reference not in page
    assert proposed.reference not in page
    assert (
        'href="?status=awaiting_decision&amp;status=returned"><span class="govuk-visually-hidden">'
        "Remove this filter</span> 25 November 2026" in page
    )


def test_the_tray_shows_each_contacts_urgency_and_its_response_time(
    client, personas, make_contact, make_child
):
    red = make_contact([make_child("Rhea")], received_at=london(2026, 11, 26, 9, 0))
    unset = make_contact([make_child("Una")], received_at=london(2026, 11, 26, 9, 30))
    contact_set_urgency(
        actor=personas["practitioner"],
        contact=red,
        urgency=Urgency.RED,
        reason="Child at home with the adult who hurt them",
        now=london(2026, 11, 26, 9, 15),
    )
    client.force_login(personas["practitioner"])
    with frozen(THURSDAY_10AM):
        page = client.get(reverse("front_door:tray")).content.decode()
    red_cell = re.search(rf'id="urgency-{red.pk}">(.*?)</td>', page, re.S)
    unset_cell = re.search(rf'id="urgency-{unset.pk}">(.*?)</td>', page, re.S)
    assert red_cell
    assert unset_cell
    # Red: four working hours from 09:00 on a Thursday.
    assert "Red" in red_cell.group(1)
    assert "Respond by 26 Nov 13:00" in red_cell.group(1)
    assert unset_cell.group(1) == "Not set"
