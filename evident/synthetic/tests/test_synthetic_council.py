"""The seeded council looks like a real one: valid identifiers, national rates, a live front
door. One small council is seeded for the module and rolled back at the end."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, time, timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q

from evident.accounts.models import Organisation, Team, User
from evident.accounts.services import DEMO_ACCOUNTS
from evident.audit.models import AuditEvent
from evident.core.clocks import CONTACT_DECISION, LONDON
from evident.core.codes import Disability
from evident.front_door.models import Contact, ContactChild, Decision
from evident.people.identifiers import (
    POSTCODE_RE,
    is_valid_nhs_number,
    is_valid_upn,
    normalise_postcode,
)
from evident.people.models import (
    Address,
    Household,
    HouseholdMember,
    Person,
    PersonDisability,
    Relationship,
)
from evident.synthetic.clock import local, months_before
from evident.synthetic.council import SeedResult, seed_council

CHILDREN = 1_500
MONTHS = 6
UNTIL = date(2026, 6, 17)  # a Wednesday in term time


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[SeedResult]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_council(children=CHILDREN, months=MONTHS, seed=11, until=UNTIL)
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def _children() -> list[Person]:
    born = Q(date_of_birth__gt=date(UNTIL.year - 18, UNTIL.month, UNTIL.day))
    return list(Person.objects.filter(born | Q(date_of_birth__isnull=True)))


def test_children_are_aged_0_to_17_with_a_few_unborn(seeded):
    children = _children()
    assert len(children) == CHILDREN
    ages = Counter(c.age_on(UNTIL) for c in children)
    assert set(ages) <= set(range(-1, 18))
    assert all(ages[a] > CHILDREN / 18 * 0.6 for a in range(18))  # near-uniform
    for child in children:
        if child.date_of_birth is None:
            assert child.expected_date_of_birth is not None
            assert UNTIL < child.expected_date_of_birth <= UNTIL + timedelta(days=153)
            assert (child.sex, child.gender) == ("U", "not_stated")
    males = sum(1 for c in children if c.sex == "M")
    assert 0.46 < males / CHILDREN < 0.56
    matching = sum(1 for c in children if (c.sex, c.gender) in {("M", "male"), ("F", "female")})
    assert matching / CHILDREN > 0.98


def test_ethnicity_and_disability_look_like_england(seeded):
    children = _children()
    ethnicity = Counter(c.ethnicity for c in children)
    assert 0.55 < ethnicity["WBRI"] / CHILDREN < 0.72
    assert len(ethnicity) >= 12
    disabled = (
        PersonDisability.objects.exclude(code=Disability.NONE).values("person").distinct().count()
    )
    assert 0.05 < disabled / CHILDREN < 0.11
    # Every born child has an answer: their disabilities, or NONE alone (census rule 8540).
    answered = PersonDisability.objects.values("person").distinct().count()
    born = sum(1 for c in children if c.date_of_birth is not None)
    assert answered == born
    assert not PersonDisability.objects.filter(
        code=Disability.NONE,
        person__in=PersonDisability.objects.exclude(code=Disability.NONE).values("person"),
    ).exists()


def test_identifiers_are_valid_and_unique(seeded):
    people = list(Person.objects.all())
    council_ids = [p.council_id for p in people]
    assert len(set(council_ids)) == len(council_ids)
    assert all(re.fullmatch(r"[A-Za-z0-9]{1,20}", cid) for cid in council_ids)
    nhs = [p.nhs_number for p in people if p.nhs_number]
    assert len(set(nhs)) == len(nhs)
    assert all(n.startswith("999") and is_valid_nhs_number(n) for n in nhs)
    children = _children()
    assert sum(1 for c in children if c.nhs_number) / CHILDREN > 0.9
    la = settings.EVIDENT_COUNCIL_LA_CODE.zfill(3)[-3:]
    for child in children:
        age = child.age_on(UNTIL)
        if child.upn:
            assert is_valid_upn(child.upn)
            assert child.upn[1:4] == la
            assert age is not None
            assert age >= 5
        elif age is not None and age < 5:
            assert child.upn_unknown_reason == "UN1"
        else:
            assert child.upn_unknown_reason  # a reason for every school-age child without one
    school_age = [c for c in children if (c.age_on(UNTIL) or -1) >= 5]
    assert sum(1 for c in school_age if c.upn) / len(school_age) > 0.97


def test_households_addresses_and_relationships(seeded):
    sizes = Household.objects.annotate(n=Count("members")).values_list("n", flat=True)
    assert min(sizes) >= 2
    assert max(sizes) <= 6
    people = Person.objects.count()
    assert HouseholdMember.objects.count() == people
    current = Address.objects.filter(end_date__isnull=True)
    assert current.count() == people  # one current address each
    assert 0 < Address.objects.filter(end_date__isnull=False).count() < people * 0.3
    for address in Address.objects.all()[:500]:
        assert address.town == "Northbridge"
        assert address.postcode == normalise_postcode(address.postcode)
        assert POSTCODE_RE.match(address.postcode)
        assert address.postcode.startswith("NB")
    parents = Relationship.objects.filter(kind="parent")
    assert parents.exists()
    assert not parents.filter(has_parental_responsibility=False).exists()
    siblings = set(Relationship.objects.filter(kind="sibling").values_list("person_id", "other_id"))
    assert siblings
    assert all((b, a) in siblings for a, b in siblings)


def test_organisations_teams_and_workers(seeded):
    assert Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).count() == 40
    for school in Organisation.objects.filter(kind=Organisation.Kind.SCHOOL):
        assert re.fullmatch(r"\d{6}", school.code)
    assert Organisation.objects.filter(kind=Organisation.Kind.POLICE).exists()
    assert Organisation.objects.filter(kind=Organisation.Kind.HEALTH).count() >= 3
    front_door = Team.objects.get(name="Front Door (MASH)")
    assert front_door.kind == Team.Kind.FRONT_DOOR
    assert front_door.members.filter(role_assignments__role="team_manager").count() >= 2
    assert Team.objects.filter(kind=Team.Kind.DUTY_ASSESSMENT).count() == 3
    demo_names = {a.username for a in DEMO_ACCOUNTS}
    for user in User.objects.all():
        assert user.username not in demo_names
        assert not user.is_demo
        assert not user.has_usable_password()


def test_contact_rates_and_mix(seeded):
    contacts = list(Contact.objects.all())
    start = local(months_before(UNTIL, MONTHS), time.min)
    days = (seeded.now - start).total_seconds() / 86_400
    per_child_year = len(contacts) / CHILDREN * 365.25 / days
    assert 0.15 < per_child_year < 0.25
    sources = Counter(c.source for c in contacts)
    assert 0.22 < sources["6"] / len(contacts) < 0.36  # police about 29%
    assert 0.15 < sources["2A"] / len(contacts) < 0.27  # schools about 21%
    consent = Counter(c.consent for c in contacts)
    assert 0.6 < consent["given"] / len(contacts) < 0.8
    assert all(c.consent_reason for c in contacts if c.consent == "dispensed")
    per_contact = Counter(ContactChild.objects.values_list("contact_id", flat=True))
    siblings = sum(1 for n in per_contact.values() if n > 1) / len(contacts)
    assert 0.15 < siblings < 0.35  # about a quarter are about 2-3 siblings
    assert max(per_contact.values()) <= 3
    references = [c.reference for c in contacts]
    assert len(set(references)) == len(references)
    assert all(re.fullmatch(r"C-20\d\d-\d{6}", r) for r in references)
    for contact in contacts:
        assert contact.reference[2:6] == str(contact.received_at.astimezone(LONDON).year)
        if contact.source == "6":
            assert contact.referrer_organisation == "Northbridge Police"
        if contact.referrer_email:
            assert contact.referrer_email.endswith("@example.org")


def test_some_children_come_back(seeded):
    per_child = Counter(ContactChild.objects.values_list("person_id", flat=True))
    repeat = sum(1 for n in per_child.values() if n > 1) / len(per_child)
    assert 0.08 < repeat < 0.35  # ~20-25% over 12 months; fewer over 6


def test_decisions_outcomes_and_timeliness(seeded):
    decisions = list(Decision.objects.select_related("contact_child__contact"))
    assert len(decisions) <= ContactChild.objects.count()
    outcomes = Counter(d.outcome for d in decisions)
    assert 0.2 < outcomes["nfa"] / len(decisions) < 0.4
    assert 0.15 < outcomes["referral"] / len(decisions) < 0.35
    authorised = [d for d in decisions if d.status == "authorised"]
    on_time = 0
    for d in authorised:
        contact = d.contact_child.contact
        assert d.authorised_at is not None
        assert d.authorised_by is not None
        assert contact.received_at <= contact.recorded_at <= d.decided_at <= d.authorised_at
        assert d.authorised_by.teams.filter(name="Front Door (MASH)").exists()
        on_time += d.authorised_at <= CONTACT_DECISION.due_at(contact.received_at)
    assert 0.75 < on_time / len(authorised) < 0.95
    closed = Contact.objects.filter(closed_at__isnull=False)
    for contact in closed[:300]:
        times = Decision.objects.filter(contact_child__contact=contact).values_list(
            "authorised_at", flat=True
        )
        assert contact.closed_at == max(t for t in times if t is not None)


def test_the_front_door_is_live(seeded):
    now = seeded.now
    open_contacts = Contact.objects.filter(closed_at__isnull=True)
    assert open_contacts.exists()
    assert open_contacts.filter(children__decision__isnull=True).exists()  # not yet decided
    assert Decision.objects.filter(status="proposed").exists()  # awaiting a manager
    assert (
        1
        <= Decision.objects.filter(status="returned")
        .values("contact_child__contact")
        .distinct()
        .count()
        <= 2
    )
    # Nothing is dated after "now", and nothing before the contact came in.
    assert not Contact.objects.filter(Q(received_at__gt=now) | Q(recorded_at__gt=now)).exists()
    assert not Contact.objects.filter(closed_at__gt=now).exists()
    assert not Decision.objects.filter(Q(decided_at__gt=now) | Q(authorised_at__gt=now)).exists()
    assert not Person.objects.filter(created_at__gt=now).exists()
    assert not Household.objects.filter(created_at__gt=now).exists()
    assert not User.objects.filter(date_joined__gt=now).exists()


def test_one_audit_event_for_the_run(seeded):
    events = AuditEvent.objects.filter(record_type="synthetic.seed")
    assert events.count() == 1
    assert events.get().detail["counts"]["contacts"] == Contact.objects.count()
    assert AuditEvent.objects.count() == 1
