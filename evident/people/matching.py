"""Finding the child: rank the people already on record who may be the one a contact is about.

Scoring is a weighted sum of named evidence, so every ranked match can say why it is there.
For each candidate the evidence found is:

=================================================  ======  ==================================
Evidence                                           Points  Shown as
=================================================  ======  ==================================
NHS number the same                                  +60  "NHS number matches"
NHS number different (both known)                    -30  "Different NHS number"
Date of birth the same                               +30  "Date of birth matches"
Date of birth with day and month swapped             +20  "Date of birth matches with day
                                                          and month swapped"
Surname the same (ignoring case and punctuation)     +25  "Surname matches"
Surname sounds the same (Metaphone key)              +18  "Surname sounds like Smyth"
Surname spelt similarly (Jaro-Winkler >= 0.88)       +15  "Surname spelt similarly to Smyth"
First name the same                                  +20  "First name matches"
First name a nickname (``nicknames``)                +16  "Nickname of William"
First name sounds the same                           +14  "First name sounds like Jon"
First name spelt similarly                           +10  "First name spelt similarly to Jon"
Postcode of the current address the same             +15  "Same postcode"
Postcode of a previous address the same              +10  "Lived at this postcode before"
A child in a household with a child already on       +15  "Sibling in the same household as
the contact                                               Alex Smith already on this contact"
=================================================  ======  ==================================

Only the strongest piece of surname evidence counts (likewise for first names). A name is
read both ways round ("Smith John" and "John Smith"), and the better reading counts. A
candidate is shown when the score reaches the threshold: half of what a perfect match on
the details entered would score (the points of every criterion given), and never more than
``THRESHOLD_MAX`` (35), so a name with a mistyped date of birth still shows.

Candidates come only from indexed blocking queries, never a scan of all people: the NHS
number; the date of birth and its day/month swap; the Metaphone key of the surname (with
the first name's key and its nicknames' keys when a first name is given); the surname's
first three letters with the first name's keys (typos late in a surname); a single name
word's key only when nothing else was entered; the postcode of current and previous
addresses; and the current household members of the children already on the contact.
Each block is capped at ``BLOCK_MAX`` people; all of them within
``people_visible_to(user)``. The functions above the selector are pure (no database).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import jellyfish
from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone

from evident.people.identifiers import normalise_nhs_number, normalise_postcode
from evident.people.models import Address, HouseholdMember, Person
from evident.people.nicknames import name_variants, nickname_link
from evident.people.selectors import people_visible_to

# Points for each piece of evidence (see the table above).
NHS_MATCH = 60
NHS_DIFFERENT = -30
DOB_MATCH = 30
DOB_SWAPPED = 20
SURNAME_EXACT = 25
SURNAME_SOUNDS = 18
SURNAME_SPELT = 15
FIRST_EXACT = 20
FIRST_NICKNAME = 16
FIRST_SOUNDS = 14
FIRST_SPELT = 10
POSTCODE_CURRENT = 15
POSTCODE_PREVIOUS = 10
HOUSEHOLD_SIBLING = 15

THRESHOLD_MAX = 35
SIMILAR_SPELLING = 0.88
BLOCK_MAX = 1_000
MATCH_LIMIT = 25
KEY_LENGTH = 20
CHILD_AGE_LIMIT = 18

_NOT_LETTERS = re.compile(r"[^A-Z]")


# -- Pure functions ---------------------------------------------------------------------------


def _letters(name: str) -> str:
    """'O'Brien-Smith ' -> 'OBRIENSMITH': the letters only, upper case."""
    return _NOT_LETTERS.sub("", (name or "").upper())


@lru_cache(maxsize=20_000)
def name_key(name: str) -> str:
    """The phonetic (Metaphone) key of a name, the blocking key stored on Person:
    Smith and Smyth are both 'SM0', Catherine and Kathryn both 'K0RN'. '' for no name."""
    letters = _letters(name)
    return jellyfish.metaphone(letters)[:KEY_LENGTH] if letters else ""


def swapped_date(day: date) -> date | None:
    """The date with day and month swapped (3 April -> 4 March), or None when that is no
    date or the same date."""
    if day.day > 12 or day.day == day.month:
        return None
    try:
        return day.replace(month=day.day, day=day.month)
    except ValueError:  # pragma: no cover (every day <= 12 exists in every month)
        return None


def name_readings(name: str) -> list[tuple[str, str]]:
    """(first name, surname) readings of what was typed: 'Jo Smith' reads as first Jo and
    surname Smith, or the other way round; one word could be either ('' for the other)."""
    words = re.findall(r"[^\s,]+", name or "")
    if not words:
        return []
    if len(words) == 1:
        return [("", words[0]), (words[0], "")]
    return [(words[0], words[-1]), (words[-1], words[0])]


@dataclass(frozen=True)
class MatchQuery:
    """What the practitioner knows about the child."""

    name: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    postcode: str = ""

    @property
    def nhs(self) -> str:
        return normalise_nhs_number(self.nhs_number)

    @property
    def post(self) -> str:
        return normalise_postcode(self.postcode)

    def is_empty(self) -> bool:
        return not (name_readings(self.name) or self.date_of_birth or self.nhs or self.post)


@dataclass(frozen=True)
class Candidate:
    """What scoring needs to know about one person on record (no database access)."""

    first_name: str
    last_name: str
    date_of_birth: date | None = None
    nhs_number: str = ""
    current_postcodes: frozenset[str] = frozenset()
    previous_postcodes: frozenset[str] = frozenset()
    # Names of the children already on the contact who share a household with this person.
    household_with: tuple[str, ...] = ()
    is_child: bool = True


@dataclass(frozen=True)
class Evidence:
    label: str
    points: int


def _surname_evidence(typed: str, recorded: str) -> Evidence | None:
    a, b = _letters(typed), _letters(recorded)
    if not a or not b:
        return None
    if a == b:
        return Evidence("Surname matches", SURNAME_EXACT)
    if name_key(a) == name_key(b):
        return Evidence(f"Surname sounds like {typed.strip()}", SURNAME_SOUNDS)
    if jellyfish.jaro_winkler_similarity(a, b) >= SIMILAR_SPELLING:
        return Evidence(f"Surname spelt similarly to {typed.strip()}", SURNAME_SPELT)
    return None


def _first_name_evidence(typed: str, recorded: str) -> Evidence | None:
    a, b = _letters(typed), _letters(recorded)
    if not a or not b:
        return None
    if a == b:
        return Evidence("First name matches", FIRST_EXACT)
    link = nickname_link(typed, recorded)
    if link is not None:
        return Evidence(link, FIRST_NICKNAME)
    if name_key(a) == name_key(b):
        return Evidence(f"First name sounds like {typed.strip()}", FIRST_SOUNDS)
    if jellyfish.jaro_winkler_similarity(a, b) >= SIMILAR_SPELLING:
        return Evidence(f"First name spelt similarly to {typed.strip()}", FIRST_SPELT)
    return None


def name_evidence(name: str, candidate: Candidate) -> list[Evidence]:
    """The evidence from the name typed, for the reading of it that scores best."""
    best: list[Evidence] = []
    for first, last in name_readings(name):
        found = [
            e
            for e in (
                _surname_evidence(last, candidate.last_name) if last else None,
                _first_name_evidence(first, candidate.first_name) if first else None,
            )
            if e is not None
        ]
        if sum(e.points for e in found) > sum(e.points for e in best):
            best = found
    return best


def evidence_for(query: MatchQuery, candidate: Candidate) -> list[Evidence]:
    """Every piece of evidence that the candidate is the child the query describes."""
    found: list[Evidence] = []
    nhs = query.nhs
    if nhs and candidate.nhs_number:
        if nhs == candidate.nhs_number:
            found.append(Evidence("NHS number matches", NHS_MATCH))
        else:
            found.append(Evidence("Different NHS number", NHS_DIFFERENT))
    born = query.date_of_birth
    if born is not None and candidate.date_of_birth is not None:
        if born == candidate.date_of_birth:
            found.append(Evidence("Date of birth matches", DOB_MATCH))
        elif swapped_date(born) == candidate.date_of_birth:
            found.append(Evidence("Date of birth matches with day and month swapped", DOB_SWAPPED))
    found.extend(name_evidence(query.name, candidate))
    post = query.post
    if post:
        spellings = {post, post.replace(" ", "")}
        if spellings & candidate.current_postcodes:
            found.append(Evidence("Same postcode", POSTCODE_CURRENT))
        elif spellings & candidate.previous_postcodes:
            found.append(Evidence("Lived at this postcode before", POSTCODE_PREVIOUS))
    if candidate.is_child and candidate.household_with:
        names = " and ".join(candidate.household_with)
        found.append(
            Evidence(
                f"Sibling in the same household as {names} already on this contact",
                HOUSEHOLD_SIBLING,
            )
        )
    return found


def perfect_score(query: MatchQuery) -> int:
    """What a candidate matching every detail entered would score."""
    total = 0
    if query.nhs:
        total += NHS_MATCH
    if query.date_of_birth is not None:
        total += DOB_MATCH
    readings = name_readings(query.name)
    if readings:
        total += max(
            (SURNAME_EXACT if last else 0) + (FIRST_EXACT if first else 0)
            for first, last in readings
        )
    if query.post:
        total += POSTCODE_CURRENT
    return total


def threshold(query: MatchQuery) -> float:
    """The score a candidate needs to be shown (see the module docstring)."""
    return min(float(THRESHOLD_MAX), perfect_score(query) / 2)


def score(evidence: Iterable[Evidence]) -> int:
    return sum(e.points for e in evidence)


# -- The selector -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    person: Person
    score: int
    evidence: list[Evidence] = field(default_factory=list)
    address: Address | None = None  # the current address, for the results table

    @property
    def reasons(self) -> list[str]:
        return [e.label for e in self.evidence if e.points > 0]

    @property
    def against(self) -> list[str]:
        return [e.label for e in self.evidence if e.points < 0]

    @property
    def strength(self) -> str:
        if self.score >= 70:
            return "Strong match"
        if self.score >= 45:
            return "Likely match"
        return "Possible match"


def _ids(people: QuerySet[Person]) -> list[uuid.UUID]:
    return list(people.order_by().values_list("id", flat=True)[:BLOCK_MAX])


def _name_blocks(visible: QuerySet[Person], name: str, *, alone: bool) -> list[QuerySet[Person]]:
    """Blocks from the name. One name word (a surname or a first name: thousands share
    one) is a block only when it is all that was typed (``alone``)."""
    blocks: list[QuerySet[Person]] = []
    for first, last in name_readings(name):
        last_key = name_key(last)
        first_keys = {name_key(v) for v in name_variants(_letters(first))} - {""}
        if last_key and first_keys:
            blocks.append(visible.filter(last_name_key=last_key, first_name_key__in=first_keys))
            prefix = _letters(last)[:3]
            if len(prefix) == 3:  # a typo after the third letter changes the key
                blocks.append(
                    visible.annotate(last_upper=Upper("last_name")).filter(
                        last_upper__startswith=prefix, first_name_key__in=first_keys
                    )
                )
        elif alone and last_key:
            blocks.append(visible.filter(last_name_key=last_key))
        elif alone and first_keys:
            blocks.append(visible.filter(first_name_key__in=first_keys))
    return blocks


def _living_together() -> QuerySet[HouseholdMember]:
    """Current household memberships (a stay that has not ended)."""
    today = timezone.localdate()
    return HouseholdMember.objects.filter(Q(end_date__isnull=True) | Q(end_date__gt=today))


def _household_ids(visible: QuerySet[Person], on_contact: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    if not on_contact:
        return set()
    households = _living_together().filter(person_id__in=on_contact).values("household_id")
    members = _living_together().filter(household_id__in=households).values("person_id")
    return set(_ids(visible.filter(id__in=members).exclude(id__in=on_contact)))


def candidate_ids(
    *, user: Any, query: MatchQuery, on_contact: Sequence[uuid.UUID] = ()
) -> set[uuid.UUID]:
    """The people worth scoring: the union of the blocking queries (each an index lookup)."""
    # Merged-away duplicates are never candidates: their records now sit on the kept person.
    visible = people_visible_to(user).filter(merged_into__isnull=True)
    blocks: list[QuerySet[Person]] = []
    if query.nhs:
        blocks.append(visible.filter(nhs_number=query.nhs))
    if query.date_of_birth is not None:
        days = {query.date_of_birth, swapped_date(query.date_of_birth)} - {None}
        blocks.append(visible.filter(date_of_birth__in=days))
    alone = query.date_of_birth is None and not query.nhs and not query.post
    blocks.extend(_name_blocks(visible, query.name, alone=alone))
    if query.post:
        spellings = {query.post, query.post.replace(" ", "")}
        at = Address.objects.filter(postcode__in=spellings).values("person_id")
        blocks.append(visible.filter(id__in=at))
    found: set[uuid.UUID] = set()
    for block in blocks:
        found.update(_ids(block))
    return found | _household_ids(visible, on_contact)


def _candidates(
    people: list[Person], on_contact: Sequence[Person], today: date
) -> tuple[dict[uuid.UUID, Candidate], dict[uuid.UUID, Address]]:
    """Each person as scoring sees them, and their current address (one query each for
    addresses and households, whatever the number of people)."""
    ids = [p.pk for p in people]
    current: dict[uuid.UUID, set[str]] = {}
    previous: dict[uuid.UUID, set[str]] = {}
    addresses: dict[uuid.UUID, Address] = {}
    for address in Address.objects.filter(person_id__in=ids).order_by("-start_date", "-id"):
        if address.end_date is None or address.end_date > today:
            current.setdefault(address.person_id, set()).add(address.postcode)
            addresses.setdefault(address.person_id, address)
        else:
            previous.setdefault(address.person_id, set()).add(address.postcode)
    together: dict[uuid.UUID, list[str]] = {}
    if on_contact:
        names = {p.pk: p.full_name for p in on_contact}
        homes: dict[int, list[uuid.UUID]] = {}
        for household_id, person_id in (
            _living_together()
            .filter(person_id__in=list(names))
            .values_list("household_id", "person_id")
        ):
            homes.setdefault(household_id, []).append(person_id)
        for household_id, person_id in (
            _living_together()
            .filter(household_id__in=list(homes), person_id__in=ids)
            .values_list("household_id", "person_id")
        ):
            for other in homes[household_id]:
                if other != person_id and names[other] not in together.get(person_id, []):
                    together.setdefault(person_id, []).append(names[other])
    result = {}
    for person in people:
        age = person.age_on(today)
        result[person.pk] = Candidate(
            first_name=person.first_name,
            last_name=person.last_name,
            date_of_birth=person.date_of_birth,
            nhs_number=person.nhs_number,
            current_postcodes=frozenset(current.get(person.pk, ())),
            previous_postcodes=frozenset(previous.get(person.pk, ())),
            household_with=tuple(together.get(person.pk, ())),
            is_child=age is None or age < CHILD_AGE_LIMIT,
        )
    return result, addresses


def people_matching(
    *,
    user: Any,
    query: MatchQuery,
    on_contact: Sequence[Person] = (),
    limit: int = MATCH_LIMIT,
) -> list[Match]:
    """The likely matches for ``query`` in the user's scope, best first, at most ``limit``.

    ``on_contact``: the people already on the contact (their household members are
    candidates; they themselves are not left out, so the page can mark them as added).
    Not audited: callers audit the search and the people shown.
    """
    if query.is_empty():
        return []
    ids = candidate_ids(user=user, query=query, on_contact=[p.pk for p in on_contact])
    if not ids:
        return []
    people = list(people_visible_to(user).filter(id__in=ids).order_by())
    candidates, addresses = _candidates(people, on_contact, timezone.localdate())
    needed = threshold(query)
    matches = []
    for person in people:
        evidence = evidence_for(query, candidates[person.pk])
        points = score(evidence)
        if points >= needed and points > 0:
            matches.append(
                Match(
                    person=person,
                    score=points,
                    evidence=sorted(evidence, key=lambda e: -e.points),
                    address=addresses.get(person.pk),
                )
            )
    matches.sort(
        key=lambda m: (-m.score, m.person.last_name, m.person.first_name, m.person.council_id)
    )
    return matches[:limit]
