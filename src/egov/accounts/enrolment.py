"""Enrolling a staff member's second factor needs a setup code from an administrator.

Whoever knows a staff member's password could otherwise enrol their own authenticator app at the
first sign-in and hold both factors. The code is what the password does not give: an agency
administrator (for staff of the agencies in their scope), a system administrator or superuser
(for anyone), or an operator on the server (``manage.py totp_setup_code``) issues it, and hands
it over in person or by telephone, after checking who is asking. It is audited
(``accounts.totp_setup_code_issued`` / ``_used``), lives ``EGOV_TOTP_SETUP_CODE_HOURS``, works
once, allows ``MAX_ATTEMPTS`` tries, and only an HMAC of it is stored; a new code voids the
previous one. Nobody issues a code for themselves.

A code sent to the staff member's e-mail address was the other choice; it was not taken: staff
addresses are typed in by whoever creates the account and are not verified by the platform, and
an attacker with the password often has the mailbox too (the same password, or a shared office
mailbox). A person who knows the staff member is a check the password cannot pass.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts import scoping
from egov.accounts.models import Role, TOTPSetupCode, User
from egov.core import audit

MAX_ATTEMPTS = 5
# No 0/O, 1/I/L: read aloud or copied from paper without doubt. 10 characters: ~49 bits.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10


def _digest(code: str) -> str:
    message = b"totp-setup:" + normalise(code).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _format(code: str) -> str:
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


def may_issue(actor, user: User) -> bool:
    """An operator on the server (``actor`` None), a system administrator or superuser, or an
    agency administrator whose scope holds the staff member's agency; never for oneself."""
    if not (user.is_active and user.kind == User.Kind.STAFF):
        return False
    if actor is None:
        return True
    if actor.pk == user.pk:
        return False
    if scoping.is_system_wide(actor):
        return True
    if user.agency_id is None:
        return False
    return scoping.agency_scope(actor, [Role.AGENCY_ADMIN]).filter(pk=user.agency_id).exists()


@transaction.atomic
def issue(*, actor, user: User) -> tuple[TOTPSetupCode, str]:
    """A new setup code for ``user`` (shown once: only its HMAC is kept). PermissionDenied when
    ``actor`` may not issue one for this person."""
    if not may_issue(actor, user):
        raise PermissionDenied
    now = timezone.now()
    TOTPSetupCode.objects.filter(user=user, used_at__isnull=True, voided_at__isnull=True).update(
        voided_at=now
    )
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    record = TOTPSetupCode.objects.create(
        user=user,
        issued_by=actor,
        digest=_digest(code),
        expires_at=now + datetime.timedelta(hours=settings.EGOV_TOTP_SETUP_CODE_HOURS),
    )
    audit.record(
        actor=actor,
        action="accounts.totp_setup_code_issued",
        obj=user,
        agency_id=user.agency_id,
        after={"code_id": record.pk, "expires_at": record.expires_at.isoformat()},
    )
    return record, _format(code)


@transaction.atomic
def redeem(user: User, code: str) -> TOTPSetupCode | None:
    """Uses up ``user``'s setup code when ``code`` is it; None when it is not right, has expired,
    was used or replaced, or has had its tries (a wrong try is counted and kept)."""
    now = timezone.now()
    record = (
        TOTPSetupCode.objects.select_for_update()
        .filter(user=user, used_at__isnull=True, voided_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if record is None:
        return None
    if not hmac.compare_digest(record.digest, _digest(code)):
        record.attempts += 1
        if record.attempts >= MAX_ATTEMPTS:
            record.voided_at = now
        record.save(update_fields=["attempts", "voided_at"])
        return None
    record.used_at = now
    record.save(update_fields=["used_at"])
    # A secret shown before (an unconfirmed device from an earlier visit, perhaps someone
    # else's) is never offered again: the app to connect gets a new one.
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit.record(
        actor=user,
        action="accounts.totp_setup_code_used",
        obj=user,
        agency_id=user.agency_id,
        after={"code_id": record.pk},
    )
    return record
