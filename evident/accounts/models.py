from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models

from evident.accounts.roles import Role


class Organisation(models.Model):
    """The council and its partners: police forces, health trusts, schools, housing..."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        POLICE = "police", "Police force"
        HEALTH = "health", "Health organisation"
        SCHOOL = "school", "School"
        HOUSING = "housing", "Housing provider"
        PROBATION = "probation", "Probation service"
        VOLUNTARY = "voluntary", "Voluntary or community organisation"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The official code: ODS for health, URN for schools, LA number for councils.
    code = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_council(self) -> bool:
        return self.kind == self.Kind.COUNCIL


class Team(models.Model):
    class Kind(models.TextChoices):
        FRONT_DOOR = "front_door", "Front door (MASH)"
        DUTY_ASSESSMENT = "duty_assessment", "Duty and assessment"
        CIN_CP = "cin_cp", "Children in need and child protection"
        CHILDREN_IN_CARE = "children_in_care", "Children in care"
        LEAVING_CARE = "leaving_care", "Leaving care"
        EARLY_HELP = "early_help", "Early help"
        LADO = "lado", "LADO"
        PERFORMANCE = "performance", "Performance and quality assurance"
        LEADERSHIP = "leadership", "Senior leadership"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    teams = models.ManyToManyField(Team, related_name="members", blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    # Demo accounts exist only in demo mode; production refuses them (a system check).
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def primary_role(self) -> Role | None:
        order = list(Role)
        return min(self.roles, key=order.index) if self.roles else None

    @property
    def works_for_council(self) -> bool:
        return self.organisation is not None and self.organisation.is_council


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"
