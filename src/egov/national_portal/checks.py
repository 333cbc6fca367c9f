from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def portal_credentials(app_configs: object, **kwargs: object) -> list[checks.CheckMessage]:
    """With the connector on, each call needs the portal's session token, obtained with the user
    name and password the province was given: without them every call waits in the outbox."""
    if not settings.EGOV_NATIONAL_PORTAL_ENABLED:
        return []
    missing = [
        name
        for name in (
            "EGOV_NATIONAL_PORTAL_URL",
            "EGOV_NATIONAL_PORTAL_UNIT_CODE",
            "EGOV_NATIONAL_PORTAL_USERNAME",
            "EGOV_NATIONAL_PORTAL_PASSWORD",
        )
        if not getattr(settings, name)
    ]
    if not missing:
        return []
    return [
        checks.Warning(
            f"The national portal connector is on but {', '.join(missing)} is not set: no "
            "dossier change can be sent (they wait in the outbox).",
            hint="Set the portal's address, the unit code and the user name and password the "
            "Office of the Government gave the province (docs/national_portal.md).",
            id="egov.national_portal.W001",
        )
    ]
