"""Single sign-on with an OpenID Connect provider (a national or city identity provider).

Authlib does the protocol: discovery, the authorization code flow with state and nonce, the ID
token's signature (JWKS) and claims. This module maps the provider's claims to a citizen account.
"""

import contextlib
import datetime
import hashlib

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from egov.accounts.identity import validate_citizen_id
from egov.accounts.models import ExternalIdentity, User
from egov.core import audit


def client():
    """The provider's client, built from the settings when first needed."""
    registry = OAuth()
    registry.register(
        name="sso",
        server_metadata_url=settings.EGOV_OIDC_DISCOVERY_URL,
        client_id=settings.EGOV_OIDC_CLIENT_ID,
        client_secret=settings.EGOV_OIDC_CLIENT_SECRET,
        client_kwargs={"scope": settings.EGOV_OIDC_SCOPES},
    )
    return registry.sso


def _claim(claims: dict, setting: str) -> str:
    value = claims.get(getattr(settings, setting))
    return str(value).strip() if value not in (None, "") else ""


def identity_level(claims: dict) -> int:
    """VNeID level 2 when the provider's level claim holds one of the configured level-2 values;
    level 1 otherwise (a provider that says nothing vouches for no more than level 1)."""
    value = _claim(claims, "EGOV_OIDC_CLAIM_IDENTITY_LEVEL")
    return 2 if value and value in settings.EGOV_OIDC_LEVEL2_VALUES else 1


def _existing_citizen(claims: dict) -> User | None:
    """The citizen account already holding the personal identification number the provider
    vouches for (registered at the desk or with a password): the person keeps one account."""
    citizen_id = _claim(claims, "EGOV_OIDC_CLAIM_CITIZEN_ID")
    if not citizen_id:
        return None
    return (
        User.objects.select_for_update()
        .filter(citizen_id=citizen_id, kind=User.Kind.CITIZEN)
        .first()
    )


@transaction.atomic
def sign_in(claims: dict) -> User:
    """The citizen behind ``claims``: found by issuer and subject, else by the personal
    identification number, else created; profile data the provider vouches for and the identity
    level are refreshed at every sign-in."""
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    identity = (
        ExternalIdentity.objects.select_related("user")
        .select_for_update(of=("self",))
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    linked = identity is None
    created = False
    if identity is not None:
        user = identity.user
    else:
        found = _existing_citizen(claims)
        if found is None:
            created = True
            digest = hashlib.sha256(f"{issuer} {subject}".encode()).hexdigest()[:20]
            user = User(username=f"sso-{digest}", kind=User.Kind.CITIZEN)
            user.set_unusable_password()
        else:
            user = found
    before = audit.snapshot(
        user, ["full_name", "email", "phone", "date_of_birth", "address", "identity_level"]
    )
    _apply_profile(user, claims)
    user.identity_level = identity_level(claims)
    user.save()
    if linked:
        identity = ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    assert identity is not None
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    audit.record(
        actor=user,
        action="accounts.sso_sign_in",
        obj=user,
        before=None if created else before,
        after={
            "issuer": issuer,
            "new_account": created,
            "matched_by_citizen_id": linked and not created,
            "identity_level": user.identity_level,
        },
    )
    return user


def _apply_profile(user: User, claims: dict) -> None:
    name = _claim(claims, "EGOV_OIDC_CLAIM_NAME")
    if name:
        user.full_name = name[:200]
    email = _claim(claims, "EGOV_OIDC_CLAIM_EMAIL").lower()
    if email and not User.objects.filter(email=email).exclude(pk=user.pk).exists():
        user.email = email
        if claims.get("email_verified"):
            user.email_verified_at = user.email_verified_at or timezone.now()
    phone = _claim(claims, "EGOV_OIDC_CLAIM_PHONE")
    if phone and not User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        user.phone = phone[:20]
    address = _claim(claims, "EGOV_OIDC_CLAIM_ADDRESS")
    if address:
        user.address = address[:500]
    birthdate = _claim(claims, "EGOV_OIDC_CLAIM_BIRTHDATE")
    # A provider's malformed date is ignored rather than stopping the sign-in.
    with contextlib.suppress(ValueError):
        if birthdate:
            user.date_of_birth = datetime.date.fromisoformat(birthdate)
    citizen_id = _claim(claims, "EGOV_OIDC_CLAIM_CITIZEN_ID")
    if citizen_id and not User.objects.filter(citizen_id=citizen_id).exclude(pk=user.pk).exists():
        try:
            validate_citizen_id(citizen_id, user.date_of_birth)
        except ValidationError:
            return
        user.citizen_id = citizen_id
