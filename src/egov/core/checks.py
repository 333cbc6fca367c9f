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
