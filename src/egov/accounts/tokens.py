"""Personal access tokens for API clients (Authorization: Bearer <token>)."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from ninja.security import HttpBearer

from egov.accounts.models import PersonalAccessToken
from egov.core import audit

TOKEN_PREFIX = "egov_"  # noqa: S105 - a marker that makes leaked tokens findable, not a secret


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create(user, *, name: str, days: int | None = 90) -> tuple[PersonalAccessToken, str]:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = PersonalAccessToken.objects.create(
        user=user,
        name=name[:100],
        prefix=token[:12],
        digest=_digest(token),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    audit.record(
        actor=user,
        action="accounts.token_created",
        obj=user,
        agency_id=user.agency_id,
        after={"token": record.prefix, "name": record.name},
    )
    return record, token


@transaction.atomic
def revoke(record: PersonalAccessToken, *, actor) -> None:
    if record.revoked_at is None:
        record.revoked_at = timezone.now()
        record.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="accounts.token_revoked",
            obj=record.user,
            agency_id=record.user.agency_id,
            after={"token": record.prefix},
        )


def user_for(token: str):
    record = (
        PersonalAccessToken.objects.select_related("user").filter(digest=_digest(token)).first()
    )
    if record is None or not record.active or not record.user.is_active:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=5):
        # Written at most every few minutes: reads must not turn into a write per request.
        PersonalAccessToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for(token)
        if user is not None:
            request.user = user
        return user
