from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def malware_scanner_on(app_configs, **kwargs):
    """Production must scan uploads: `check --deploy` fails when scanning is off."""
    if settings.EGOV_MALWARE_SCANNER != "clamd":
        return [
            checks.Error(
                "Uploads are not scanned for malware.",
                hint="Set EGOV_MALWARE_SCANNER=clamd and EGOV_CLAMD_SOCKET or EGOV_CLAMD_HOST.",
                id="egov.E001",
            )
        ]
    return []


LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0", ""}  # noqa: S104 - compared, not bound


@checks.register(checks.Tags.security, deploy=True)
def public_address_is_set(app_configs, **kwargs):
    """`check --deploy`: the public address (and the verification address made from it) must be
    the site's, not the development default on this machine: citizens would be sent back from
    the payment gateway, and signed papers would print their QR code, to an address that is not
    there."""
    errors = []
    for name in ("EGOV_PUBLIC_BASE_URL", "EGOV_VERIFY_BASE_URL"):
        value = getattr(settings, name)
        if (urlsplit(value).hostname or "") in LOOPBACK:
            errors.append(
                checks.Error(
                    f"{name} is {value!r}, this machine's development address.",
                    hint=f"Set {name} to the site's public address, e.g. "
                    "https://dichvucong.cantho.gov.vn"
                    + ("/xac-thuc/" if name == "EGOV_VERIFY_BASE_URL" else "")
                    + ".",
                    id="egov.E002",
                )
            )
    return errors
