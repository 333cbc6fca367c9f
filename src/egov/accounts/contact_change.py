"""A citizen's new e-mail address or phone number takes effect only once the 6-digit code sent
to it is confirmed (the same codes as sign-up: ``accounts.signup``). A user name that was the old
address follows the new one, so the citizen signs in with what they now use."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User, VerificationCode
from egov.accounts.signup import check_code, issue_code, lock_unused, parse_destination
from egov.core import audit
from egov.core.masking import mask_email, mask_phone

FIELDS = {
    "email": ("email", "email_verified_at", mask_email),
    "sms": ("phone", "phone_verified_at", mask_phone),
}


def _taken(user: User, destination: str) -> bool:
    return (
        User.objects.filter(Q(email=destination) | Q(phone=destination) | Q(username=destination))
        .exclude(pk=user.pk)
        .exists()
    )


@transaction.atomic
def start(user: User, contact: str) -> VerificationCode:
    channel, destination = parse_destination(contact)
    field = FIELDS[channel][0]
    if getattr(user, field) == destination:
        raise ValidationError(_("This is already the address of your account."))
    if _taken(user, destination):
        raise ValidationError(
            _("Another account uses this address. Sign in to that account, or choose another.")
        )
    return issue_code(VerificationCode.Purpose.CONTACT_CHANGE, channel, destination, user=user)


def confirm(record: VerificationCode, code: str) -> User:
    check_code(record, code)
    with transaction.atomic():
        record = lock_unused(record)
        user = User.objects.select_for_update().get(pk=record.user_id)
        if _taken(user, record.destination):
            raise ValidationError(
                _("Another account uses this address. Sign in to that account, or choose another.")
            )
        field, verified_field, mask = FIELDS[record.channel]
        old = getattr(user, field)
        setattr(user, field, record.destination)
        setattr(user, verified_field, timezone.now())
        changed = [field, verified_field]
        if old and user.username == old:
            user.username = record.destination
            changed.append("username")
        user.save(update_fields=changed)
        record.used_at = timezone.now()
        record.save(update_fields=["used_at"])
        audit.record(
            actor=user,
            action="accounts.contact_changed",
            obj=user,
            before={field: mask(old)},
            after={field: mask(record.destination), "user_name_follows": "username" in changed},
        )
        return user
