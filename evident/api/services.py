"""Partner systems' API tokens: making one, revoking it, and checking a presented token."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evident.accounts.models import Organisation
from evident.accounts.roles import Role
from evident.accounts.services import user_create
from evident.api.models import ApiToken
from evident.audit.models import AuditEvent
from evident.audit.services import audit_record

TOKEN_BYTES = 32
TOKEN_PREFIX = "evd_"  # noqa: S105 (a prefix that lets secret scanners spot a leaked token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    api_token: ApiToken
    token: str  # shown once, never stored


@transaction.atomic
def api_token_create(*, organisation: Organisation, name: str, created_by: Any = None) -> NewToken:
    """A new token for a partner organisation's system, acting as its own service account."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the token"})
    if organisation.is_council:
        raise ValidationError({"organisation": "API tokens are for partner organisations"})
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    # A partner user with no password: it can never sign in, only act through its token.
    account = user_create(
        username=f"api-{secrets.token_hex(8)}",
        first_name=name[:150],
        last_name="(API token)",
        organisation=organisation,
        roles=[Role.PARTNER],
        password=None,
    )
    api_token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        secret_hash=token_hash(token),
        account=account,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    audit_record(
        actor=created_by,
        action=AuditEvent.Action.CREATE,
        record=api_token,
        section="api.token",
        detail={"organisation": organisation.name, "token": name},
    )
    return NewToken(api_token=api_token, token=token)


@transaction.atomic
def api_token_revoke(*, actor: Any, api_token: ApiToken) -> ApiToken:
    """Revoke a token: it stops working at once, and its service account is switched off."""
    api_token = ApiToken.objects.select_for_update().get(pk=api_token.pk)
    if api_token.revoked_at is not None:
        return api_token
    api_token.revoked_at = timezone.now()
    api_token.save(update_fields=["revoked_at"])
    api_token.account.is_active = False
    api_token.account.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=api_token,
        section="api.token.revoke",
        detail={"organisation": api_token.organisation.name, "token": api_token.name},
    )
    return api_token


def api_token_authenticate(*, token: str) -> ApiToken | None:
    """The live token matching ``token``, or None. Stamps when it was last used."""
    if not token or len(token) > 200:
        return None
    presented = token_hash(token)
    found = (
        ApiToken.objects.select_related("organisation", "account", "account__organisation")
        .filter(secret_hash=presented, revoked_at__isnull=True, account__is_active=True)
        .first()
    )
    # The lookup is by hash (a preimage, useless to time); compare in constant time anyway.
    if found is None or not hmac.compare_digest(found.secret_hash, presented):
        return None
    now = timezone.now()
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    found.last_used_at = now
    return found
