from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Front-door practitioner"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    PARTNER = "partner", "Partner-agency user"
    LADO = "lado", "LADO officer"
    ANALYST = "analyst", "Performance analyst"
    LEADER = "leader", "Senior leader"
    # Improvement Board and elected members: packs and published plans, never a child.
    BOARD_MEMBER = "board_member", "Board or elected member"
    ADMIN = "admin", "Administrator"


# Council staff who work with children's records.
CASEWORK_ROLES = frozenset({Role.PRACTITIONER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
# Council staff who read performance data (Annex A, indicators).
PERFORMANCE_ROLES = frozenset({Role.ANALYST, Role.LEADER, Role.TEAM_MANAGER})
