"""The council's partners and its own staff: organisations, teams and workers."""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings

from evident.accounts.models import Organisation, RoleAssignment, Team, User
from evident.accounts.roles import Role
from evident.accounts.services import council_get_or_create, team_get_or_create
from evident.api.models import ApiToken
from evident.synthetic import words
from evident.synthetic.clock import local, pick, randint, weighted

POLICE = "Northbridge Police"  # the demo partner account's force, too
ACUTE_TRUST = "Northbridge Hospitals NHS Foundation Trust"
COMMUNITY_TRUST = "Northbridge Community Health NHS Trust"
GP_FEDERATION = "Northbridge GP Federation"
HOUSING = "Northbridge Homes"
PROBATION = "Northbridge Probation Delivery Unit"
VOLUNTARY = "Northbridge Family Support Trust"
FRONT_DOOR = "Front Door (MASH)"  # shared with the demo accounts

PRIMARY_SCHOOLS = 30
SECONDARY_SCHOOLS = 8
SPECIAL_SCHOOLS = 2


@dataclass(frozen=True)
class School:
    name: str
    urn: str
    establishment: str  # DfE establishment number: the 4 digits after the LA code in a UPN
    phase: str  # primary, secondary, special
    district: int


@dataclass(frozen=True)
class TeamSpec:
    name: str
    kind: Team.Kind
    worker_role: Role
    worker_title: str
    workers: int
    managers: int = 1
    manager_roles: tuple[Role, ...] = (Role.TEAM_MANAGER,)
    manager_title: str = "Team manager"


@dataclass
class Staff:
    """Who works where, for the contacts and decisions."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    schools: list[School] = field(default_factory=list)
    teams: dict[str, Team] = field(default_factory=dict)
    users: list[User] = field(default_factory=list)
    practitioners: list[User] = field(default_factory=list)  # front door
    managers: list[User] = field(default_factory=list)  # front door
    role_assignments: int = 0
    memberships: int = 0
    organisations_created: int = 0
    # Each team's social workers (and its managers), by team name: who referrals go to.
    team_workers: dict[str, list[User]] = field(default_factory=dict)
    team_managers: dict[str, list[User]] = field(default_factory=dict)
    # Partner agencies' portal users by organisation name, and the police force's API
    # service account (the account its "PPN sender" token acts as).
    partners: dict[str, list[User]] = field(default_factory=dict)
    api_account: User | None = None
    api_tokens: int = 0


def plan_schools(rng: random.Random, districts: int) -> list[School]:
    words_left = list(words.SCHOOL_WORDS)
    rng.shuffle(words_left)
    saints = list(words.SAINTS)
    rng.shuffle(saints)
    urns = rng.sample(range(990_000, 1_000_000), PRIMARY_SCHOOLS + SECONDARY_SCHOOLS + 2)
    schools: list[School] = []
    for i in range(PRIMARY_SCHOOLS):
        if i % 8 == 7 and saints:
            name = f"St {saints.pop()}'s {pick(rng, ('Catholic', 'C of E'))} Primary School"
            establishment = f"{3000 + 10 * i + randint(rng, 0, 9)}"
        else:
            kind = pick(rng, ("Primary School", "Primary School", "Community Primary School"))
            name = f"{words_left.pop()} {kind}"
            establishment = f"{2000 + 20 * i + randint(rng, 0, 19)}"
        schools.append(School(name, str(urns.pop()), establishment, "primary", i % districts + 1))
    for i in range(SECONDARY_SCHOOLS):
        if i == SECONDARY_SCHOOLS - 1 and saints:
            name = f"St {saints.pop()}'s Catholic High School"
        else:
            name = f"{words_left.pop()} {pick(rng, ('Academy', 'High School', 'School'))}"
        establishment = f"{4000 + 50 * i + randint(rng, 0, 49)}"
        district = i * districts // SECONDARY_SCHOOLS + 1
        schools.append(School(name, str(urns.pop()), establishment, "secondary", district))
    for i in range(SPECIAL_SCHOOLS):
        name = f"{words_left.pop()} School"
        establishment = f"{7000 + 10 * i + randint(rng, 0, 9)}"
        schools.append(School(name, str(urns.pop()), establishment, "special", i + 1))
    return schools


def team_specs(children: int) -> list[TeamSpec]:
    from evident.synthetic import shape

    practitioners = min(
        40, max(4, int(children / shape.CHILDREN_PER_FRONT_DOOR_PRACTITIONER + 0.5))
    )
    managers = min(8, max(2, int(children / shape.CHILDREN_PER_FRONT_DOOR_MANAGER + 0.5)))
    specs = [
        TeamSpec(
            FRONT_DOOR,
            Team.Kind.FRONT_DOOR,
            Role.PRACTITIONER,
            "Front-door social worker",
            practitioners,
            managers=managers,
            manager_title="Front-door team manager",
        )
    ]
    specs += [
        TeamSpec(
            f"Duty and Assessment Team {n}",
            Team.Kind.DUTY_ASSESSMENT,
            Role.SOCIAL_WORKER,
            "Social worker",
            6,
        )
        for n in (1, 2, 3)
    ]
    specs += [
        TeamSpec(
            f"Children in Need and Child Protection Team {n}",
            Team.Kind.CIN_CP,
            Role.SOCIAL_WORKER,
            "Social worker",
            7,
        )
        for n in (1, 2)
    ]
    specs += [
        TeamSpec(
            "Children in Care", Team.Kind.CHILDREN_IN_CARE, Role.SOCIAL_WORKER, "Social worker", 8
        ),
        TeamSpec("Leaving Care", Team.Kind.LEAVING_CARE, Role.SOCIAL_WORKER, "Personal adviser", 5),
        TeamSpec(
            "Early Help",
            Team.Kind.EARLY_HELP,
            Role.SOCIAL_WORKER,
            "Early help family practitioner",
            6,
        ),
        TeamSpec(
            "LADO",
            Team.Kind.LADO,
            Role.LADO,
            "Local authority designated officer",
            2,
            manager_roles=(Role.TEAM_MANAGER, Role.LADO),
            manager_title="LADO manager",
        ),
        TeamSpec(
            "Performance and Quality Assurance",
            Team.Kind.PERFORMANCE,
            Role.ANALYST,
            "Performance analyst",
            3,
            manager_roles=(Role.ANALYST,),
            manager_title="Head of performance and quality assurance",
        ),
    ]
    return specs


def _organisations(schools: list[School]) -> tuple[dict[str, Organisation], int]:
    """The council and its partners: existing rows are kept (the demo accounts make the
    police force), missing ones are added in one insert. Returns them and how many are new."""
    before = Organisation.objects.count()
    council = council_get_or_create()
    wanted: list[tuple[str, str, str]] = [
        (POLICE, Organisation.Kind.POLICE, ""),
        (ACUTE_TRUST, Organisation.Kind.HEALTH, ""),
        (COMMUNITY_TRUST, Organisation.Kind.HEALTH, ""),
        (GP_FEDERATION, Organisation.Kind.HEALTH, ""),
        (HOUSING, Organisation.Kind.HOUSING, ""),
        (PROBATION, Organisation.Kind.PROBATION, ""),
        (VOLUNTARY, Organisation.Kind.VOLUNTARY, ""),
    ]
    wanted += [(s.name, Organisation.Kind.SCHOOL, s.urn) for s in schools]
    names = [name for name, _, _ in wanted]
    existing = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    Organisation.objects.bulk_create(
        Organisation(name=name, kind=kind, code=code)
        for name, kind, code in wanted
        if name not in existing
    )
    found = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    found[council.name] = council
    return found, Organisation.objects.count() - before


def _username(rng: random.Random, first: str, last: str, taken: set[str]) -> str:
    stem = re.sub(r"[^a-z]", "", f"{first[:1]}{last}".lower())[:20] or "worker"
    while True:
        name = f"{stem}{randint(rng, 10, 99)}"
        if name not in taken:
            taken.add(name)
            return name


def create_staff(rng: random.Random, *, children: int, start: datetime) -> Staff:
    """Organisations, teams and workers (unusable passwords, never demo accounts)."""
    staff = Staff()
    staff.schools = plan_schools(rng, districts=12)
    staff.organisations, staff.organisations_created = _organisations(staff.schools)
    council = staff.organisations[settings.EVIDENT_COUNCIL_NAME]

    taken = set(User.objects.values_list("username", flat=True))
    planned: list[tuple[User, TeamSpec, tuple[Role, ...], bool]] = []
    for spec in team_specs(children):
        staff.teams[spec.name] = team_get_or_create(
            name=spec.name, kind=spec.kind, organisation=council
        )
        rows = [(False, spec.workers), (True, spec.managers)]
        for is_manager, count in rows:
            for _ in range(count):
                female = rng.random() < 0.75  # children's social work is mostly women
                first = pick(rng, words.FIRST_NAMES_FEMALE if female else words.FIRST_NAMES_MALE)
                last = weighted(rng, words.LAST_NAMES, words.LAST_NAME_CUM_WEIGHTS)
                username = _username(rng, first, last, taken)
                joined = start - timedelta(days=randint(rng, 30, 3_000))
                user = User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@example.org",
                    organisation=council,
                    job_title=spec.manager_title if is_manager else spec.worker_title,
                    is_demo=False,
                    date_joined=local(joined.date(), time(9, 0)),
                    # An unusable password ("!" prefix, as set_unusable_password makes), from
                    # our RNG so that the same seed gives the same rows.
                    password="!"
                    + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=40)),
                )
                roles = spec.manager_roles if is_manager else (spec.worker_role,)
                planned.append((user, spec, roles, is_manager))

    User.objects.bulk_create([u for u, _, _, _ in planned])
    # Primary keys back from the insert (PostgreSQL and SQLite 3.35+ return them).
    memberships = [
        User.teams.through(user_id=u.pk, team_id=staff.teams[spec.name].pk)
        for u, spec, _, _ in planned
    ]
    User.teams.through.objects.bulk_create(memberships)
    assignments = [
        RoleAssignment(user=u, role=role) for u, _, roles, _ in planned for role in roles
    ]
    RoleAssignment.objects.bulk_create(assignments)
    staff.users = [u for u, _, _, _ in planned]
    staff.practitioners = [u for u, spec, _, m in planned if spec.name == FRONT_DOOR and not m]
    staff.managers = [u for u, spec, _, m in planned if spec.name == FRONT_DOOR and m]
    for u, spec, _, is_manager in planned:
        (staff.team_managers if is_manager else staff.team_workers).setdefault(
            spec.name, []
        ).append(u)
    staff.role_assignments = len(assignments)
    staff.memberships = len(memberships)
    _partner_users(rng, staff, taken, start)
    return staff


# Portal users per partner organisation (schools: the designated safeguarding lead and a
# deputy). Assumed sizes for a council of about 30,000 children; nationally most police
# notifications reach the front door electronically, and schools and health increasingly
# use an online form.
PARTNER_USERS: dict[str, tuple[int, str]] = {
    POLICE: (10, "Public protection officer"),
    ACUTE_TRUST: (4, "Named nurse for safeguarding children"),
    COMMUNITY_TRUST: (5, "Health visitor"),
    GP_FEDERATION: (3, "Safeguarding lead GP"),
    HOUSING: (2, "Tenancy sustainment officer"),
    PROBATION: (2, "Probation officer"),
    VOLUNTARY: (2, "Family support worker"),
}
SCHOOL_USERS = (2, "Designated safeguarding lead")


def _partner_users(rng: random.Random, staff: Staff, taken: set[str], start: datetime) -> None:
    """Partner agencies' portal users, and the police force's API token (its service
    account is a partner user that can never sign in, as ``api_token_create`` makes it)."""
    planned: list[tuple[User, str]] = []
    sizes = dict(PARTNER_USERS)
    sizes.update({school.name: SCHOOL_USERS for school in staff.schools})
    for name, (count, title) in sizes.items():
        organisation = staff.organisations[name]
        for _ in range(count):
            first = pick(
                rng, words.FIRST_NAMES_FEMALE if rng.random() < 0.7 else words.FIRST_NAMES_MALE
            )
            last = weighted(rng, words.LAST_NAMES, words.LAST_NAME_CUM_WEIGHTS)
            username = _username(rng, first, last, taken)
            joined = start - timedelta(days=randint(rng, 1, 400))
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                organisation=organisation,
                job_title=title,
                is_demo=False,
                date_joined=local(joined.date(), time(10, 0)),
                password="!" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=40)),
            )
            planned.append((user, name))
    police = staff.organisations[POLICE]
    system_name = "PPN sender"
    account = User(
        username=f"api-{rng.getrandbits(64):016x}",
        first_name=system_name,
        last_name="(API token)",
        email="",
        organisation=police,
        is_demo=False,
        date_joined=start - timedelta(days=60),
        password="!" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=40)),
    )
    User.objects.bulk_create([u for u, _ in planned] + [account])
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, role=Role.PARTNER) for u in [*(u for u, _ in planned), account]
    )
    # Only a hash is stored and this one is of random bytes: nobody holds the token, so
    # the seeded token can be seen and revoked but never used.
    ApiToken.objects.create(
        organisation=police,
        name=system_name,
        secret_hash=hashlib.sha256(rng.randbytes(32)).hexdigest(),
        account=account,
        created_at=start - timedelta(days=60),
    )
    for user, name in planned:
        staff.partners.setdefault(name, []).append(user)
    staff.users += [u for u, _ in planned] + [account]
    staff.role_assignments += len(planned) + 1
    staff.api_account = account
    staff.api_tokens = 1
