"""Writes for organisations, teams and users."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from evident.accounts.models import Organisation, RoleAssignment, Team, User
from evident.accounts.roles import Role


def council_get_or_create() -> Organisation:
    council, _ = Organisation.objects.get_or_create(
        name=settings.EVIDENT_COUNCIL_NAME,
        defaults={"kind": Organisation.Kind.COUNCIL, "code": settings.EVIDENT_COUNCIL_LA_CODE},
    )
    return council


def team_get_or_create(
    *, name: str, kind: Team.Kind, organisation: Organisation | None = None
) -> Team:
    team, _ = Team.objects.get_or_create(
        name=name, defaults={"kind": kind, "organisation": organisation or council_get_or_create()}
    )
    return team


@transaction.atomic
def user_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    roles: Iterable[Role],
    teams: Iterable[Team] = (),
    email: str = "",
    job_title: str = "",
    password: str | None = None,
    is_demo: bool = False,
) -> User:
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        organisation=organisation,
        job_title=job_title,
        is_demo=is_demo,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    user.teams.set(list(teams))
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=role) for role in set(roles))
    return user


DEMO_PASSWORD = "evident-demo"  # noqa: S105 (published in the README; demo mode only)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: Role
    job_title: str
    team: tuple[str, Team.Kind] | None
    partner: bool = False


DEMO_ACCOUNTS = (
    DemoAccount(
        "practitioner",
        "Priya",
        "Shah",
        Role.PRACTITIONER,
        "Front-door social worker",
        ("Front Door (MASH)", Team.Kind.FRONT_DOOR),
    ),
    DemoAccount(
        "socialworker",
        "Sam",
        "Okafor",
        Role.SOCIAL_WORKER,
        "Social worker",
        ("Duty and Assessment Team 1", Team.Kind.DUTY_ASSESSMENT),
    ),
    DemoAccount(
        "manager",
        "Morgan",
        "Ellis",
        Role.TEAM_MANAGER,
        "Front-door team manager",
        ("Front Door (MASH)", Team.Kind.FRONT_DOOR),
    ),
    DemoAccount(
        "partner",
        "Pat",
        "Reid",
        Role.PARTNER,
        "Police public protection officer",
        None,
        partner=True,
    ),
    DemoAccount("lado", "Lee", "Adeyemi", Role.LADO, "LADO", ("LADO", Team.Kind.LADO)),
    DemoAccount(
        "analyst",
        "Alex",
        "Novak",
        Role.ANALYST,
        "Performance analyst",
        ("Performance and Quality Assurance", Team.Kind.PERFORMANCE),
    ),
    DemoAccount(
        "leader",
        "Lesley",
        "Grant",
        Role.LEADER,
        "Director of children's services",
        ("Senior Leadership", Team.Kind.LEADERSHIP),
    ),
    DemoAccount(
        "boardmember", "Bola", "Mensah", Role.BOARD_MEMBER, "Improvement Board member", None
    ),
    DemoAccount("admin", "Ari", "Bell", Role.ADMIN, "Evident administrator", None),
)


@transaction.atomic
def demo_accounts_create() -> list[User]:
    """One account per role, password ``evident-demo``. Refused outside demo mode."""
    if not settings.EVIDENT_DEMO:
        raise RuntimeError("Demo accounts can only be created in demo mode (EVIDENT_DEMO=true)")
    council = council_get_or_create()
    police, _ = Organisation.objects.get_or_create(
        name="Northbridge Police", defaults={"kind": Organisation.Kind.POLICE}
    )
    created = []
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        teams = []
        if account.team is not None:
            teams.append(
                team_get_or_create(name=account.team[0], kind=account.team[1], organisation=council)
            )
        created.append(
            user_create(
                username=account.username,
                first_name=account.first_name,
                last_name=account.last_name,
                organisation=police if account.partner else council,
                roles=[account.role],
                teams=teams,
                job_title=account.job_title,
                email=f"{account.username}@example.org",
                password=DEMO_PASSWORD,
                is_demo=True,
            )
        )
    return created
