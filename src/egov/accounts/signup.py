"""Sign-up and password reset with a one-time code sent by e-mail or SMS.

The code is announced as the domain event ``accounts.verification_code`` in the same transaction
that records it; the notifications app sends it through its outbox (accounts does not depend on
notifications: they subscribe to the event). Only an HMAC of the code is stored; a code lives
10 minutes and allows 5 tries; a destination gets at most one code a minute and five an hour.
"""

import datetime
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from egov.accounts.models import User, VerificationCode
from egov.core import audit, events

LIFETIME = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 5
PHONE = re.compile(r"^(?:\+84|0)(?:3|5|7|8|9)\d{8}$")


def _digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def parse_destination(value: str) -> tuple[str, str]:
    """('email', address) or ('sms', phone in 0xxxxxxxxx form); ValidationError otherwise."""
    value = value.strip()
    if "@" in value:
        validate_email(value)
        return "email", value.lower()
    phone = re.sub(r"[\s.-]", "", value)
    if not PHONE.match(phone):
        raise ValidationError(
            _("Enter an e-mail address or a Vietnamese mobile number, e.g. 0912345678.")
        )
    return "sms", "0" + phone[3:] if phone.startswith("+84") else phone


def _throttle(destination: str) -> None:
    now = timezone.now()
    recent = VerificationCode.objects.filter(destination=destination)
    if recent.filter(created_at__gte=now - datetime.timedelta(minutes=1)).exists():
        raise ValidationError(
            _("A code was sent less than a minute ago; wait before asking for another.")
        )
    if recent.filter(created_at__gte=now - datetime.timedelta(hours=1)).count() >= 5:
        raise ValidationError(
            _("Too many codes were asked for this address in the last hour; try again later.")
        )


def _send(record: VerificationCode, code: str) -> None:
    events.publish(
        "accounts.verification_code",
        channel=record.channel,
        destination=record.destination,
        language=get_language() or "vi",
        code=code,
        minutes=int(LIFETIME.total_seconds() // 60),
    )


def issue_code(purpose: str, channel: str, destination: str, *, user=None, payload=None):
    _throttle(destination)
    code = f"{secrets.randbelow(1_000_000):06d}"
    record = VerificationCode.objects.create(
        purpose=purpose,
        channel=channel,
        destination=destination,
        digest=_digest(code),
        payload=payload or {},
        user=user,
        expires_at=timezone.now() + LIFETIME,
    )
    _send(record, code)
    return record


@transaction.atomic
def start_sign_up(*, full_name: str, contact: str, password: str) -> VerificationCode:
    """Raises ValidationError keyed by the form field to fix ("contact" or "password")."""
    try:
        channel, destination = parse_destination(contact)
    except ValidationError as exc:
        raise ValidationError({"contact": exc.messages}) from exc
    taken = Q(email=destination) if channel == "email" else Q(phone=destination)
    if User.objects.filter(taken | Q(username=destination)).exists():
        raise ValidationError(
            {
                "contact": _(
                    "An account already uses this address. Sign in, "
                    "or reset the password if you forgot it."
                )
            }
        )
    try:
        validate_password(password, User(username=destination, full_name=full_name))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    try:
        _throttle(destination)
    except ValidationError as exc:
        raise ValidationError({"contact": exc.messages}) from exc
    return issue_code(
        VerificationCode.Purpose.SIGN_UP,
        channel,
        destination,
        payload={"full_name": full_name.strip()[:200], "password": make_password(password)},
    )


def check_code(record: VerificationCode, code: str) -> None:
    if record.used_at or record.expires_at < timezone.now():
        raise ValidationError(_("This code has expired. Ask for a new one."))
    if record.attempts >= MAX_ATTEMPTS:
        raise ValidationError(_("Too many wrong codes. Ask for a new one."))
    record.attempts += 1
    record.save(update_fields=["attempts"])
    if not hmac.compare_digest(record.digest, _digest(code.strip())):
        raise ValidationError(_("The code is not right. Check the latest message and try again."))


def lock_unused(record: VerificationCode) -> VerificationCode:
    """The code again, locked: two confirmations at once cannot both use it."""
    record = (
        VerificationCode.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=record.pk)
    )
    if record.used_at:
        raise ValidationError(_("This code has expired. Ask for a new one."))
    return record


def confirm_sign_up(record: VerificationCode, code: str) -> User:
    check_code(record, code)
    with transaction.atomic():
        record = lock_unused(record)
        if User.objects.filter(username=record.destination).exists():
            raise ValidationError(
                _(
                    "An account already uses this address. Sign in, or reset "
                    "the password if you forgot it."
                )
            )
        now = timezone.now()
        user = User(
            username=record.destination,
            kind=User.Kind.CITIZEN,
            full_name=record.payload.get("full_name", ""),
            password=record.payload["password"],
        )
        if record.channel == "email":
            user.email, user.email_verified_at = record.destination, now
        else:
            user.phone, user.phone_verified_at = record.destination, now
        user.save()
        record.used_at = now
        record.payload = {}
        record.save(update_fields=["used_at", "payload"])
        audit.record(
            actor=user, action="accounts.signed_up", obj=user, after={"channel": record.channel}
        )
        return user


@transaction.atomic
def start_password_reset(contact: str) -> VerificationCode | None:
    """Sends a code if an account uses ``contact``; says nothing either way (no enumeration)."""
    channel, destination = parse_destination(contact)
    field = Q(email=destination) if channel == "email" else Q(phone=destination)
    user = User.objects.filter(field, is_active=True).first()
    if user is None:
        return None
    return issue_code(VerificationCode.Purpose.PASSWORD_RESET, channel, destination, user=user)


def confirm_password_reset(record: VerificationCode, code: str, password: str) -> User:
    validate_password(password, record.user)
    check_code(record, code)
    with transaction.atomic():
        record = lock_unused(record)
        user = record.user
        user.set_password(password)
        user.save(update_fields=["password"])
        record.used_at = timezone.now()
        record.save(update_fields=["used_at"])
        audit.record(
            actor=user, action="accounts.password_reset", obj=user, agency_id=user.agency_id
        )
        return user
