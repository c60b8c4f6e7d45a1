"""People: children and the adults around them. "Child" is a time of life, not a table."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from evident.core.codes import Disability, Ethnicity, Gender, Sex, UPNUnknown


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The council's child ID (Annex A `Child Unique ID`, CIN census LAchildID: ≤20 alphanumerics).
    council_id = models.CharField(max_length=20, unique=True)
    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_STATED)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    former_upn = models.CharField("Former UPN", max_length=13, blank=True)
    upn_unknown_reason = models.CharField(max_length=3, choices=UPNUnknown.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Phonetic (Metaphone) keys of the names, for finding sound-alike spellings by index
    # (``evident.people.matching``). Kept up to date by ``save``; bulk inserts set them.
    first_name_key = models.CharField(max_length=20, blank=True, default="", editable=False)
    last_name_key = models.CharField(max_length=20, blank=True, default="", editable=False)
    # Set when this record was found to be a duplicate and merged into another: the row is
    # kept (legal and audit trails point at it) but leaves search and matching
    # (``evident.people.merging``, ADR 0010).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        editable=False,
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(Upper("last_name"), Upper("first_name"), name="person_name_upper"),
            models.Index(fields=["date_of_birth"], name="person_dob"),
            models.Index(fields=["last_name_key", "first_name_key"], name="person_name_keys"),
            models.Index(fields=["first_name_key"], name="person_first_name_key"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~(
                    models.Q(date_of_birth__isnull=False)
                    & models.Q(expected_date_of_birth__isnull=False)
                ),
                name="person_born_or_expected",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Imported here: matching reads people through this model.
        from evident.people.matching import name_key

        self.first_name_key = name_key(self.first_name)
        self.last_name_key = name_key(self.last_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "first_name_key", "last_name_key"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    def age_on(self, day: date) -> int | None:
        """Completed years on ``day``; -1 for an unborn child (Annex A's rule)."""
        if self.date_of_birth is None:
            return -1 if self.expected_date_of_birth is not None else None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class PersonAlias(models.Model):
    """Other names a person is or was known by (previous surname, nickname, spelling)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PersonDisability(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disabilities")
    code = models.CharField(max_length=4, choices=Disability.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "code"], name="unique_disability_per_person")
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class Address(models.Model):
    """Where a person lived, and when (address history)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, db_index=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line_1, self.line_2, self.town, self.postcode) if p)


class Relationship(models.Model):
    """A family or household tie, from one person to another ('Sam is Alex's mother')."""

    class Kind(models.TextChoices):
        PARENT = "parent", "Parent"
        STEP_PARENT = "step_parent", "Step-parent"
        SIBLING = "sibling", "Sibling"
        HALF_SIBLING = "half_sibling", "Half-sibling"
        GRANDPARENT = "grandparent", "Grandparent"
        CARER = "carer", "Carer"
        PARTNER_OF_PARENT = "partner_of_parent", "Parent's partner"
        OTHER_RELATIVE = "other_relative", "Other relative"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_from")
    # ``person`` is ``kind`` of ``other`` (person is the parent of other).
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    has_parental_responsibility = models.BooleanField(default=False)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(person=models.F("other")), name="relationship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} is {self.get_kind_display().lower()} of {self.other}"


class Household(models.Model):
    """People living together at one address over a period."""

    name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return self.name or f"Household {self.pk}"


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="household_memberships"
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["household", "person", "start_date"], name="unique_household_stay"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.household}"


class PersonMerge(models.Model):
    """One duplicate record merged into another, and its undoing.

    ``moved`` is the exact account of what the merge changed, so it can be put back: for
    each foreign key to Person, the rows repointed from ``merged_away`` to ``kept`` and the
    rows left behind (and why). Shape: ``[{"model": "app.model", "table": "...",
    "field": "...", "moved": [ids], "kept_back": [{"id": id, "reason": "..."}]}]``.
    """

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged_away = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_away")
    merged_at = models.DateTimeField(default=timezone.now, db_index=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    moved = models.JSONField(default=list, blank=True)
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reversal_reason = models.TextField(blank=True)
    # Rows the reversal could not put back (changed or deleted since the merge), with why.
    reversal_left = models.JSONField(default=list, blank=True)
    # The merged-away record's name, added to the kept person's other names so that a search
    # for it still finds the child ({"id", "first_name", "last_name"}); removed on undoing.
    added_alias = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kept=models.F("merged_away")), name="person_merge_not_self"
            ),
            # At most one merge in force per merged-away record (a second is refused).
            models.UniqueConstraint(
                fields=["merged_away"],
                condition=models.Q(reversed_at__isnull=True),
                name="person_merge_one_in_force",
            ),
            models.CheckConstraint(
                condition=models.Q(reversed_at__isnull=True) | models.Q(reversed_by__isnull=False),
                name="person_merge_reversed_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merged_away} merged into {self.kept}"

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None

    def moved_count(self) -> int:
        return sum(len(entry.get("moved", [])) for entry in self.moved)

    def kept_back_count(self) -> int:
        return sum(len(entry.get("kept_back", [])) for entry in self.moved)
