"""Feedback to the referrer: an email when their concern has been decided.

The email says which outcome was reached, never a child's name: email leaves the system.
"""

from __future__ import annotations

import uuid

from django.core.mail import send_mail
from django.urls import reverse

from evident.front_door.models import Contact, ContactChild, Decision
from evident.portal.selectors import OUTCOME_WORDS


def submission_decided(*, contact_id: uuid.UUID) -> None:
    """Email the partner who submitted the contact (called once it is committed)."""
    contact = Contact.objects.select_related("submitted_by").filter(pk=contact_id).first()
    if contact is None or contact.submitted_by is None:
        return
    # The partner's own account address; an account without one (an API token's service
    # account, always) falls back to the address given with the concern.
    recipient = contact.submitted_by.email.strip() or contact.referrer_email.strip()
    if not recipient:
        return

    outcomes = [
        OUTCOME_WORDS[outcome]
        for outcome in ContactChild.objects.filter(
            contact=contact, decision__status=Decision.Status.AUTHORISED
        )
        .order_by("id")
        .values_list("decision__outcome", flat=True)
    ]
    lines = [
        f"Your concern {contact.reference} has been decided: " + " ".join(dict.fromkeys(outcomes)),
        "",
        "Sign in to the partner portal to see the outcome for each child: "
        + reverse("portal:submission", kwargs={"contact_id": contact.pk}),
    ]
    send_mail(
        subject=f"Your concern {contact.reference} has been decided",
        message="\n".join(lines),
        from_email=None,
        recipient_list=[recipient],
    )
