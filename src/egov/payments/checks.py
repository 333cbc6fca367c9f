from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def payment_settings(app_configs, **kwargs):
    """`check --deploy`: the simulator answers as the gateway would, so it must be off; a chosen
    gateway needs the merchant's settings."""
    found: list[checks.CheckMessage] = []
    if settings.EGOV_PAYMENT_SIMULATOR:
        found.append(
            checks.Error(
                "The payment gateway simulator is on: anyone could mark fees as paid.",
                hint="Unset EGOV_PAYMENT_SIMULATOR (it is always off with DJANGO_ENV=production).",
                id="egov.E101",
            )
        )
    if settings.EGOV_PAYMENT_GATEWAY == "vnpay" and not (
        settings.VNPAY_TMN_CODE and settings.VNPAY_HASH_SECRET and settings.VNPAY_URL
    ):
        found.append(
            checks.Error(
                "EGOV_PAYMENT_GATEWAY is vnpay but VNPAY is not configured.",
                hint="Set VNPAY_TMN_CODE, VNPAY_HASH_SECRET and VNPAY_URL (docs/payments.md).",
                id="egov.E102",
            )
        )
    if settings.EGOV_PAYMENT_GATEWAY == "vnpay" and not settings.VNPAY_API_URL:
        found.append(
            checks.Warning(
                "VNPAY_API_URL is not set: payments received twice cannot be refunded through "
                "VNPAY and wait for the desk.",
                hint="Set VNPAY_API_URL to VNPAY's merchant API address (docs/payments.md).",
                id="egov.W103",
            )
        )
    if "paygov" in (settings.EGOV_PAYMENT_GATEWAY, *settings.EGOV_PAYMENT_GATEWAYS) and not (
        settings.PAYGOV_API_URL
    ):
        found.append(
            checks.Warning(
                "PAYGOV_API_URL is not set: payments received twice through PayGov cannot be "
                "refunded through it and wait for the desk.",
                hint="Set PAYGOV_API_URL to PayGov's refund address (docs/payments.md).",
                id="egov.W104",
            )
        )
    return found
