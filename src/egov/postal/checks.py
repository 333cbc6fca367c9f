from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from egov.postal import tariff


@checks.register()
def tariff_readable(app_configs, **kwargs):
    """A tariff file that cannot be read would fail every fee quote: say so at start-up."""
    try:
        tariff.current()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), hint="Fix EGOV_POSTAL_TARIFF_FILE.", id="egov.postal.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def operator_configured(app_configs, **kwargs):
    """Once an operator is configured, production talks to it over HTTPS and checks webhook
    signatures with a real secret. Without one, shipments wait and the desk sees why."""
    if not settings.EGOV_POSTAL_API_URL:
        return []
    errors = []
    if not settings.EGOV_POSTAL_API_URL.startswith("https://"):
        errors.append(
            checks.Error(
                "The postal operator's API is not an https:// address.",
                hint="Set EGOV_POSTAL_API_URL to the operator's API over HTTPS.",
                id="egov.postal.E002",
            )
        )
    if not settings.EGOV_POSTAL_API_KEY or len(settings.EGOV_POSTAL_WEBHOOK_SECRET) < 32:
        errors.append(
            checks.Error(
                "The postal operator's API key or webhook secret is missing or short.",
                hint="Set EGOV_POSTAL_API_KEY and a webhook secret of 32 characters or more in "
                "EGOV_POSTAL_WEBHOOK_SECRET.",
                id="egov.postal.E003",
            )
        )
    return errors
