from django.conf import settings
from django.core.checks import Error, Tags, register

from egov.signatures import trust


@register(Tags.security, deploy=True)
def development_pki_is_not_trusted(app_configs, **kwargs):
    """Production must never trust the development PKI (manage.py create_dev_pki)."""
    if not settings.PRODUCTION:
        return []
    errors = []
    for path in settings.EGOV_SIGNATURE_TRUST_ROOTS + settings.EGOV_SIGNATURE_INTERMEDIATES:
        try:
            certificates = trust.read_certificates(path)
        except (OSError, ValueError) as exc:
            errors.append(
                Error(f"Cannot read the trust store file {path}: {exc}", id="signatures.E001")
            )
            continue
        if any(trust.is_development_certificate(cert) for cert in certificates):
            errors.append(
                Error(
                    f"{path} holds a development PKI certificate; production must not trust it.",
                    id="signatures.E002",
                )
            )
    return errors
