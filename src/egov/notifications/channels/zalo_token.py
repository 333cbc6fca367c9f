"""The Zalo OA access token: a fixed one from settings, or renewed with the refresh token.

An OA access token lasts about 25 hours; ``POST https://oauth.zaloapp.com/v4/oa/access_token``
(form fields ``refresh_token``, ``app_id``, ``grant_type=refresh_token``, header ``secret_key``)
returns ``{"access_token", "refresh_token", "expires_in"}``. The refresh token is single-use and
lasts three months, so the pair is kept in :class:`ZaloToken` and renewed under a row lock: two
workers never spend the same refresh token.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from egov.notifications import conf
from egov.notifications.channels import TemporaryError
from egov.notifications.channels.httpjson import post_form
from egov.notifications.models import ZaloToken

OAUTH_URL = "https://oauth.zaloapp.com/v4/oa/access_token"
# Renew a little before the end, so that no request goes out with a token about to expire.
MARGIN = timedelta(minutes=10)
TOKEN_ID = 1


def renews() -> bool:
    options = conf.get("ZNS")
    return bool(options.get("APP_ID") and options.get("APP_SECRET"))


def access_token() -> str:
    if not renews():
        return conf.get("ZNS").get("ACCESS_TOKEN", "")
    token = ZaloToken.objects.filter(pk=TOKEN_ID).first()
    if token and token.expires_at > timezone.now() + MARGIN:
        return token.access_token
    return renew(stale=token.access_token if token else "")


def renew(stale: str) -> str:
    """A new access token, unless another worker renewed ``stale`` meanwhile."""
    options = conf.get("ZNS")
    with transaction.atomic():
        token = ZaloToken.objects.select_for_update().filter(pk=TOKEN_ID).first()
        if token and token.access_token != stale and token.expires_at > timezone.now() + MARGIN:
            return token.access_token
        refresh_token = token.refresh_token if token else options.get("REFRESH_TOKEN", "")
        if not refresh_token:
            raise TemporaryError("no Zalo refresh token: run manage.py set_zalo_refresh_token")
        answer = post_form(
            options.get("OAUTH_URL") or OAUTH_URL,
            {
                "refresh_token": refresh_token,
                "app_id": options["APP_ID"],
                "grant_type": "refresh_token",
            },
            headers={"secret_key": options["APP_SECRET"]},
            timeout=conf.get("HTTP_TIMEOUT_SECONDS"),
        )
        if not answer.get("access_token") or not answer.get("refresh_token"):
            reason = answer.get("error_description") or answer.get("error_name") or answer
            raise TemporaryError(f"Zalo refused to renew the OA token: {reason}", "token")
        expires_in = int(answer.get("expires_in") or 3600)
        ZaloToken.objects.update_or_create(
            pk=TOKEN_ID,
            defaults={
                "access_token": answer["access_token"],
                "refresh_token": answer["refresh_token"],
                "expires_at": timezone.now() + timedelta(seconds=expires_in),
            },
        )
    return answer["access_token"]


@transaction.atomic
def set_refresh_token(refresh_token: str) -> None:
    """An operator's fresh refresh token (after authorising the app again on the OA)."""
    ZaloToken.objects.update_or_create(
        pk=TOKEN_ID,
        defaults={"access_token": "", "refresh_token": refresh_token, "expires_at": timezone.now()},
    )
