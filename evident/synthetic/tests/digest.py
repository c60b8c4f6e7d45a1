"""A fingerprint of a seeded council: same seed, same fingerprint."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from evident.accounts.models import User
from evident.casework.models import (
    Assessment,
    ChildProtectionPlan,
    CINPlan,
    Conference,
    Episode,
    StrategyDiscussion,
    Visit,
)
from evident.front_door.models import (
    Contact,
    ContactChild,
    Decision,
    EarlyHelpEpisode,
    InformationRequest,
    SubmittedChild,
)
from evident.people.models import Address, HouseholdMember, Person, PersonDisability, Relationship


def _feed(h: Any, rows: Iterable[Iterable[Any]]) -> None:
    for row in rows:
        h.update(repr(tuple(row)).encode())
        h.update(b"\n")


def council_digest() -> str:
    """People, households, addresses, relationships, staff, contacts and decisions (with the
    MASH's rows and what decisions started), casework, in a
    stable order (auto-increment keys left out: they depend on the database's sequences)."""
    h = hashlib.sha256()
    _feed(
        h,
        Person.objects.order_by("council_id").values_list(
            "council_id", "id", "first_name", "middle_names", "last_name", "date_of_birth",
            "expected_date_of_birth", "sex", "gender", "ethnicity", "nhs_number", "upn",
            "upn_unknown_reason", "created_at",
        ),
    )  # fmt: skip
    _feed(
        h,
        PersonDisability.objects.order_by("person__council_id", "code").values_list(
            "person__council_id", "code"
        ),
    )
    _feed(
        h,
        HouseholdMember.objects.order_by("person__council_id").values_list(
            "person__council_id", "household__name", "household__created_at", "start_date"
        ),
    )
    _feed(
        h,
        Address.objects.order_by("person__council_id", "start_date", "line_1").values_list(
            "person__council_id", "line_1", "line_2", "town", "postcode", "start_date", "end_date"
        ),
    )
    _feed(
        h,
        Relationship.objects.order_by("person__council_id", "other__council_id").values_list(
            "person__council_id", "other__council_id", "kind", "has_parental_responsibility",
            "start_date",
        ),
    )  # fmt: skip
    _feed(
        h,
        User.objects.order_by("username").values_list(
            "username", "first_name", "last_name", "email", "job_title", "date_joined", "password"
        ),
    )
    _feed(
        h,
        Contact.objects.order_by("reference").values_list(
            "reference", "id", "received_at", "source", "referrer_name", "referrer_organisation",
            "referrer_phone", "referrer_email", "concern", "consent", "consent_reason",
            "recorded_by__username", "recorded_at", "closed_at", "submitted_by__username",
            "submitting_organisation__name", "actions_taken", "sender_reference",
            "referrer_told_at", "urgency", "urgency_reason", "urgency_set_by__username",
            "urgency_set_at", "allocated_to__username",
        ),
    )  # fmt: skip
    _feed(
        h,
        ContactChild.objects.order_by("contact__reference", "person__council_id").values_list(
            "contact__reference", "person__council_id", "voice_known", "voice_views",
            "voice_obtained",
        ),
    )  # fmt: skip
    _feed(
        h,
        SubmittedChild.objects.order_by("contact__reference", "first_name", "last_name").values_list(
            "contact__reference", "first_name", "last_name", "date_of_birth", "approximate_age",
            "address", "postcode", "school", "person__council_id",
        ),
    )  # fmt: skip
    _feed(
        h,
        InformationRequest.objects.order_by("contact__reference", "requested_at").values_list(
            "contact__reference", "organisation__name", "question", "requested_by__username",
            "requested_at", "due_at", "status", "answer", "answered_by__username", "answered_at",
        ),
    )  # fmt: skip
    _feed(
        h,
        EarlyHelpEpisode.objects.order_by("contact_child__contact__reference", "person__council_id")
        .values_list(
            "contact_child__contact__reference", "person__council_id", "assessment_start_date",
            "assessment_completion_date", "organisation_completing", "lead_professional",
            "ended_on", "created_by__username", "created_at",
        ),
    )  # fmt: skip
    _feed(
        h,
        Episode.objects.order_by("contact_child__contact__reference", "person__council_id")
        .values_list(
            "id", "contact_child__contact__reference", "person__council_id", "referral_date",
            "referral_source", "team__name", "worker__username", "allocated_at",
            "strategy_discussion_required", "strategy_discussion_due", "created_by__username",
            "created_at",
        ),
    )  # fmt: skip
    _feed(
        h,
        Decision.objects.order_by(
            "contact_child__contact__reference", "contact_child__person__council_id"
        ).values_list(
            "contact_child__contact__reference", "contact_child__person__council_id", "outcome",
            "rationale", "status", "decided_by__username", "decided_at",
            "authorised_by__username", "authorised_at", "manager_comment",
            "level_of_need__number",
        ),
    )  # fmt: skip
    # Casework: episodes by their (seeded) id, each step by its episode and date.
    _feed(
        h,
        Episode.objects.order_by("id").values_list(
            "id", "person__council_id", "referral_date", "team__name", "worker__username",
            "primary_need", "closed_on", "closure_reason",
        ),
    )  # fmt: skip
    for model, day in (
        (Assessment, "start_date"),
        (StrategyDiscussion, "held_on"),
        (ChildProtectionPlan, "start_date"),
        (Conference, "held_on"),
        (CINPlan, "start_date"),
        (Visit, "visited_on"),
    ):
        _feed(
            h,
            model._default_manager.order_by("episode_id", day, "recorded_at").values_list(
                "episode_id", day, "recorded_by__username", "recorded_at"
            ),
        )
    return h.hexdigest()
