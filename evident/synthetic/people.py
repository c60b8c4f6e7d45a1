"""Children and the adults around them, grouped into households with addresses.

Everything is planned in memory first (``plan_population``); ``household_rows`` then turns
the plan into Household, HouseholdMember, Relationship and Address rows once the households
have primary keys.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings

from evident.core.codes import Disability, Gender, Sex, UPNUnknown
from evident.people.identifiers import nhs_check_digit, normalise_postcode, upn_check_letter
from evident.people.matching import name_key
from evident.people.models import (
    Address,
    Household,
    HouseholdMember,
    Person,
    PersonDisability,
    Relationship,
)
from evident.synthetic import shape, words
from evident.synthetic.clock import LONDON, local, pick, randint, weighted, years_before
from evident.synthetic.rows import Maker
from evident.synthetic.staff import School

ASIAN_CODES = frozenset({"APKN", "ABAN", "AIND", "AOTH"})
# The parents' codes for a child of mixed heritage (one parent each).
MIXED_PARENTS = {
    "MWBC": ("WBRI", "BCRB"),
    "MWBA": ("WBRI", "BAFR"),
    "MWAS": ("WBRI", "APKN"),
    "MOTH": ("WOTH", "OOTH"),
}


@dataclass
class Street:
    name: str
    district: int
    sector: int
    units: list[str]
    next_number: int = 1
    flats_in: int = 0  # building number of the current block of flats
    next_flat: int = 1

    def address(self, rng: random.Random) -> tuple[str, str]:
        """A new line 1 and its postcode on this street."""
        if rng.random() < shape.FLAT_SHARE:
            if self.flats_in == 0 or self.next_flat > 12:
                self.flats_in = self.next_number
                self.next_number += randint(rng, 1, 3)
                self.next_flat = 1
            line_1 = f"Flat {self.next_flat}, {self.flats_in} {self.name}"
            self.next_flat += 1
            number = self.flats_in
        else:
            number = self.next_number
            self.next_number += randint(rng, 1, 3)
            line_1 = f"{number} {self.name}"
        unit = self.units[(number // 30) % len(self.units)]
        return line_1, normalise_postcode(f"{words.POSTCODE_AREA}{self.district}{unit}")


@dataclass
class Family:
    last_name: str
    ethnicity: str
    street: Street
    line_1: str
    postcode: str
    move_in: date
    previous: tuple[str, str, date] | None  # line 1, postcode, start
    primary: School
    secondary: School
    involvement: float  # weight for being the subject of contacts
    adults: list[Person] = field(default_factory=list)
    # (relationship kind, parental responsibility) of each adult to the children
    adult_ties: list[tuple[str, bool]] = field(default_factory=list)
    children: list[Person] = field(default_factory=list)


@dataclass
class Population:
    families: list[Family]
    people: list[Person]  # children then adults, family by family
    children: list[Person]
    disabilities: list[PersonDisability]


class _Identifiers:
    """Unique council IDs, NHS numbers (test range 999) and UPNs, all from the RNG."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.council_ids: set[str] = set()
        self.nhs_numbers: set[str] = set()
        self.upn_serials: dict[tuple[str, int], int] = {}
        digits = re.sub(r"\D", "", settings.EVIDENT_COUNCIL_LA_CODE) or "999"
        self.la_code = digits.zfill(3)[-3:]
        # The same shape as IDs issued by people.services: a prefix and 7 digits.
        self.prefix = str(getattr(settings, "EVIDENT_COUNCIL_ID_PREFIX", "NB"))

    def council_id(self) -> str:
        while True:
            value = f"{self.prefix}{randint(self.rng, 1_000_000, 9_999_999)}"
            if value not in self.council_ids:
                self.council_ids.add(value)
                return value

    def nhs_number(self) -> str:
        while True:
            body = f"999{randint(self.rng, 0, 999_999):06d}"
            check = nhs_check_digit(body)
            if check is None:
                continue
            number = f"{body}{check}"
            if number not in self.nhs_numbers:
                self.nhs_numbers.add(number)
                return number

    def upn(self, school: School, year_allocated: int) -> str:
        key = (school.establishment, year_allocated % 100)
        serial = self.upn_serials.get(key, randint(self.rng, 0, 40)) + randint(self.rng, 1, 3)
        if serial > 999:  # pragma: no cover (a school allocating 1,000 UPNs in a year)
            serial = 1
        self.upn_serials[key] = serial
        body = f"{self.la_code}{school.establishment}{year_allocated % 100:02d}{serial:03d}"
        return upn_check_letter(body) + body


def plan_streets(rng: random.Random, households: int) -> list[Street]:
    count = max(20, math.ceil(households / shape.HOUSEHOLDS_PER_STREET))
    combos = [f"{w} {s}" for w in words.STREET_WORDS for s in dict.fromkeys(words.STREET_SUFFIXES)]
    names = rng.sample(combos, min(count, len(combos)))
    streets = []
    for i, name in enumerate(names):
        district = i % shape.POSTCODE_DISTRICTS + 1
        sector = randint(rng, 0, 9)
        units = [
            f"{sector}{pick(rng, words.POSTCODE_UNIT_LETTERS)}{pick(rng, words.POSTCODE_UNIT_LETTERS)}"
            for _ in range(randint(rng, 2, 6))
        ]
        streets.append(Street(name, district, sector, sorted(set(units))))
    return streets


def _dob_for_age(rng: random.Random, until: date, age: int) -> date:
    latest = years_before(until, age)
    earliest = years_before(until, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=randint(rng, 0, (latest - earliest).days))


def _created_at(rng: random.Random, born: date | None, start: date, now: datetime) -> datetime:
    """When the council first recorded the person: mostly before the period (records
    carried over), at birth for babies born in it, a few months ago for unborn babies."""
    office = time(randint(rng, 9, 16), randint(rng, 0, 59), randint(rng, 0, 59))
    today = now.astimezone(LONDON).date()
    if born is None:
        day = today - timedelta(days=randint(rng, 1, 100))
    elif born >= start:
        day = born + timedelta(days=randint(rng, 0, 10))
    else:
        earliest = max(born + timedelta(days=1), start - timedelta(days=6 * 365))
        latest = start - timedelta(days=1)
        day = earliest + timedelta(days=randint(rng, 0, max(0, (latest - earliest).days)))
    at = local(min(day, today), office)
    return at if at <= now else now - timedelta(minutes=5)


def _last_name(rng: random.Random, ethnicity: str) -> str:
    if ethnicity in ASIAN_CODES and rng.random() < 0.7:
        return pick(rng, words.SOUTH_ASIAN_LAST_NAMES)
    return weighted(rng, words.LAST_NAMES, words.LAST_NAME_CUM_WEIGHTS)


def _first_name(rng: random.Random, sex: str) -> str:
    return pick(rng, words.FIRST_NAMES_MALE if sex == Sex.MALE else words.FIRST_NAMES_FEMALE)


def _middle_name(rng: random.Random, sex: str) -> str:
    return _first_name(rng, sex) if rng.random() < shape.MIDDLE_NAME_SHARE else ""


def seeded_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _cum(weights: tuple[float, ...] | list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


class _Planner:
    """Plans families one at a time, drawing everything from one RNG in a fixed order."""

    def __init__(
        self,
        rng: random.Random,
        *,
        until: date,
        start: date,
        now: datetime,
        schools: list[School],
        expected_households: int,
    ) -> None:
        self.rng = rng
        self.until = until
        self.start = start
        self.now = now
        self.ids = _Identifiers(rng)
        self.ages = list(range(len(shape.AGE_WEIGHTS)))
        self.age_cum = _cum(shape.AGE_WEIGHTS)
        self.eth_codes = [c for c, _ in shape.ETHNICITY_SHARES]
        self.eth_cum = _cum([w for _, w in shape.ETHNICITY_SHARES])
        self.size_cum = _cum(shape.CHILDREN_PER_HOUSEHOLD_WEIGHTS)
        self.dis_codes = [c for c, _ in shape.DISABILITY_WEIGHTS]
        self.dis_cum = _cum([w for _, w in shape.DISABILITY_WEIGHTS])
        self.dis_count_cum = _cum(shape.DISABILITY_COUNT_WEIGHTS)
        self.primaries = [s for s in schools if s.phase == "primary"]
        self.secondaries = [s for s in schools if s.phase == "secondary"]
        self.streets = plan_streets(rng, expected_households)
        self.families: list[Family] = []
        self.people: list[Person] = []
        self.children: list[Person] = []
        self.disabilities: list[PersonDisability] = []
        self.make_person = Maker(Person)
        self.make_disability = Maker(PersonDisability)

    def _person(self, **fields: Any) -> Person:
        # bulk_create skips Person.save, so the phonetic name keys are set here.
        fields["first_name_key"] = name_key(fields["first_name"])
        fields["last_name_key"] = name_key(fields["last_name"])
        p = self.make_person(id=seeded_uuid(self.rng), council_id=self.ids.council_id(), **fields)
        self.people.append(p)
        return p

    def _age(self, dob: date) -> int:
        until = self.until
        return until.year - dob.year - ((until.month, until.day) < (dob.month, dob.day))

    def family(self, size: int) -> Family:
        rng = self.rng
        ethnicity = weighted(rng, self.eth_codes, self.eth_cum)
        street = pick(rng, self.streets)
        line_1, postcode = street.address(rng)
        near = [s for s in self.primaries if s.district == street.district] or self.primaries
        secondary = min(
            self.secondaries, key=lambda s: (abs(s.district - street.district), rng.random())
        )
        lone = rng.random() < shape.LONE_PARENT_SHARE
        mother_first = not (lone and rng.random() < shape.LONE_FATHER_SHARE)
        family = Family(
            last_name=_last_name(rng, ethnicity),
            ethnicity=ethnicity,
            street=street,
            line_1=line_1,
            postcode=postcode,
            move_in=self.until,  # set below, once the adults are born
            previous=None,
            primary=pick(rng, near),
            secondary=secondary,
            involvement=rng.gammavariate(shape.INVOLVEMENT_SHAPE, 1.0),
        )
        dobs = self._sibling_dobs(size, unborn_allowed=mother_first)
        for dob in dobs:
            family.children.append(self._child(family, dob))
        born = [d for d in dobs if d is not None]
        eldest_age = self._age(born[0]) if born else 0
        self._adults(family, eldest_age, lone=lone, mother_first=mother_first)
        self._homes(family)
        self.families.append(family)
        return family

    def _sibling_dobs(self, size: int, *, unborn_allowed: bool) -> list[date | None]:
        """Independent ages (the national shape), spaced like real siblings, eldest first;
        an unborn baby (rarely) last."""
        rng = self.rng
        born: list[date] = []
        unborn = False
        for _ in range(size):
            if unborn_allowed and not unborn and rng.random() < shape.UNBORN_SHARE:
                unborn = True
                continue
            if born and rng.random() < 0.02:
                born.append(born[-1])  # twins
                continue
            dob = self.until
            for _attempt in range(6):
                age = weighted(rng, self.ages, self.age_cum)
                dob = _dob_for_age(rng, self.until, age)
                if all(abs((dob - d).days) >= 300 for d in born):
                    break
            born.append(dob)
        ordered: list[date | None] = []
        ordered.extend(sorted(born))
        if unborn:
            ordered.append(None)
        return ordered

    def _child(self, family: Family, dob: date | None) -> Person:
        rng = self.rng
        if dob is None:
            expected = self.until + timedelta(days=randint(rng, 1, shape.UNBORN_MAX_DAYS_AHEAD))
            child = self._person(
                first_name="Unborn",
                last_name=family.last_name,
                expected_date_of_birth=expected,
                sex=Sex.UNKNOWN,
                gender=Gender.NOT_STATED,
                ethnicity=family.ethnicity if rng.random() < 0.5 else "NOBT",
                upn_unknown_reason=UPNUnknown.UN1,
                created_at=_created_at(rng, None, self.start, self.now),
            )
            self.children.append(child)
            return child
        sex = Sex.MALE if rng.random() < shape.MALE_SHARE else Sex.FEMALE
        gender = Gender.MALE if sex == Sex.MALE else Gender.FEMALE
        if rng.random() < shape.GENDER_NOT_STATED_SHARE:
            gender = Gender.NOT_STATED
        last = family.last_name
        if rng.random() < shape.CHILD_OTHER_SURNAME_SHARE:
            last = _last_name(rng, family.ethnicity)
        upn = ""
        reason = ""
        if self._age(dob) < shape.SCHOOL_AGE:
            reason = UPNUnknown.UN1
        elif rng.random() < shape.NO_UPN_SCHOOL_AGE_SHARE:
            reason = pick(rng, (UPNUnknown.UN3, UPNUnknown.UN4))
        else:
            started_school = dob.year + (5 if dob.month >= 9 else 4)
            upn = self.ids.upn(family.primary, started_school)
        child = self._person(
            first_name=_first_name(rng, sex),
            middle_names=_middle_name(rng, sex),
            last_name=last,
            date_of_birth=dob,
            sex=sex,
            gender=gender,
            ethnicity=family.ethnicity,
            nhs_number=self.ids.nhs_number() if rng.random() < shape.NHS_NUMBER_SHARE_CHILD else "",
            upn=upn,
            upn_unknown_reason=reason,
            created_at=_created_at(rng, dob, self.start, self.now),
        )
        self.children.append(child)
        if rng.random() < shape.DISABLED_SHARE:
            wanted = weighted(rng, (1, 2, 3), self.dis_count_cum)
            codes: list[str] = []
            while len(codes) < wanted:
                code = weighted(rng, self.dis_codes, self.dis_cum)
                if code not in codes:
                    codes.append(code)
            self.disabilities.extend(
                self.make_disability(person_id=child.pk, code=c) for c in codes
            )
        else:
            # Known to have no disability: the census wants NONE recorded, not a blank.
            self.disabilities.append(self.make_disability(person_id=child.pk, code=Disability.NONE))
        return child

    def _adults(self, family: Family, eldest_age: int, *, lone: bool, mother_first: bool) -> None:
        """A parent 17-38 years older than the eldest child (aged 18-55) and, in most
        households, a second adult: another parent, a step-parent or a parent's partner."""
        rng = self.rng
        first_sex = Sex.FEMALE if mother_first else Sex.MALE
        gap = randint(rng, 17, max(17, min(38, 55 - eldest_age)))
        first_age = min(55, max(18, eldest_age + gap))
        specs: list[tuple[str, int, str, bool]] = [
            (first_sex, first_age, Relationship.Kind.PARENT, True)
        ]
        if not lone:
            second_sex = Sex.FEMALE if rng.random() < shape.SAME_SEX_COUPLE_SHARE else Sex.MALE
            second_age = min(55, max(18, first_age + randint(rng, -3, 7)))
            roll = rng.random()
            if roll < shape.SECOND_ADULT_STEP_PARENT_SHARE:
                specs.append((second_sex, second_age, Relationship.Kind.STEP_PARENT, False))
            elif roll < shape.SECOND_ADULT_STEP_PARENT_SHARE + shape.SECOND_ADULT_PARTNER_SHARE:
                specs.append((second_sex, second_age, Relationship.Kind.PARTNER_OF_PARENT, False))
            else:
                second_age = min(55, max(second_age, eldest_age + 16))
                specs.append((second_sex, second_age, Relationship.Kind.PARENT, True))
        codes = MIXED_PARENTS.get(family.ethnicity, (family.ethnicity, family.ethnicity))
        for n, (sex, age, kind, responsible) in enumerate(specs):
            dob = _dob_for_age(rng, self.until, age)
            last = family.last_name
            if n == 1 and rng.random() < shape.SECOND_ADULT_OTHER_SURNAME_SHARE:
                last = _last_name(rng, codes[n])
            adult = self._person(
                first_name=_first_name(rng, sex),
                middle_names=_middle_name(rng, sex),
                last_name=last,
                date_of_birth=dob,
                sex=sex,
                gender=Gender.MALE if sex == Sex.MALE else Gender.FEMALE,
                ethnicity=codes[n],
                nhs_number=self.ids.nhs_number()
                if rng.random() < shape.NHS_NUMBER_SHARE_ADULT
                else "",
                created_at=_created_at(rng, dob, self.start, self.now),
            )
            family.adults.append(adult)
            family.adult_ties.append((kind, responsible))

    def _homes(self, family: Family) -> None:
        """When they moved in, and where they lived before (a minority)."""
        rng = self.rng
        first_dob = family.adults[0].date_of_birth or self.until
        earliest = max(years_before(first_dob, -18), years_before(self.until, 15))
        latest = self.until - timedelta(days=30)
        if earliest >= latest:
            earliest = latest - timedelta(days=1)
        family.move_in = earliest + timedelta(days=randint(rng, 0, (latest - earliest).days))
        if rng.random() < shape.PREVIOUS_ADDRESS_SHARE:
            line, postcode = pick(rng, self.streets).address(rng)
            began = family.move_in - timedelta(days=randint(rng, 365, 8 * 365))
            family.previous = (line, postcode, began)


def plan_population(
    rng: random.Random,
    *,
    children: int,
    until: date,
    start: date,
    now: datetime,
    schools: list[School],
) -> Population:
    """Families until there are ``children`` children (the last family is cut to fit)."""
    planner = _Planner(
        rng,
        until=until,
        start=start,
        now=now,
        schools=schools,
        expected_households=math.ceil(children / 1.83),
    )
    made = 0
    while made < children:
        size = min(weighted(rng, (1, 2, 3, 4), planner.size_cum), children - made)
        planner.family(size)
        made += size
    return Population(planner.families, planner.people, planner.children, planner.disabilities)


@dataclass
class HouseholdRows:
    members: list[HouseholdMember]
    relationships: list[Relationship]
    addresses: list[Address]


def household_objects(families: list[Family]) -> list[Household]:
    households = []
    household = Maker(Household)
    for family in families:
        members = family.children + family.adults
        created = min(p.created_at for p in members)
        households.append(household(name=f"{family.last_name} household", created_at=created))
    return households


def household_rows(families: list[Family], households: list[Household]) -> HouseholdRows:
    """Members, relationships and addresses, once the households have primary keys."""
    members: list[HouseholdMember] = []
    relationships: list[Relationship] = []
    addresses: list[Address] = []
    member = Maker(HouseholdMember)
    relationship = Maker(Relationship)
    address = Maker(Address)
    for family, household in zip(families, households, strict=True):
        for p in family.children + family.adults:
            since = _since(family.move_in, p.date_of_birth, p.expected_date_of_birth)
            members.append(member(household_id=household.pk, person_id=p.pk, start_date=since))
            addresses.append(
                address(
                    person_id=p.pk,
                    line_1=family.line_1,
                    town=words.TOWN,
                    postcode=family.postcode,
                    start_date=since,
                )
            )
            if family.previous is not None and p.date_of_birth is not None:
                line, postcode, began = family.previous
                if p.date_of_birth < family.move_in:
                    addresses.append(
                        address(
                            person_id=p.pk,
                            line_1=line,
                            town=words.TOWN,
                            postcode=postcode,
                            start_date=max(began, p.date_of_birth),
                            end_date=family.move_in - timedelta(days=1),
                        )
                    )
        for adult, (kind, responsible) in zip(family.adults, family.adult_ties, strict=True):
            for child in family.children:
                tie_began: date | None = child.date_of_birth
                if kind != Relationship.Kind.PARENT:
                    tie_began = max(family.move_in, child.date_of_birth or family.move_in)
                relationships.append(
                    relationship(
                        person_id=adult.pk,
                        other_id=child.pk,
                        kind=kind,
                        has_parental_responsibility=responsible,
                        start_date=tie_began,
                    )
                )
        for a, b in itertools.permutations(family.children, 2):
            dobs = [d for d in (a.date_of_birth, b.date_of_birth) if d is not None]
            relationships.append(
                relationship(
                    person_id=a.pk,
                    other_id=b.pk,
                    kind=Relationship.Kind.SIBLING,
                    start_date=max(dobs) if len(dobs) == 2 else None,
                )
            )
    return HouseholdRows(members, relationships, addresses)


def _since(move_in: date, born: date | None, expected: date | None) -> date | None:
    if born is None:
        return None  # unborn: no address history of their own yet
    return max(move_in, born)
