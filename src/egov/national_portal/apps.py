from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalPortalConfig(AppConfig):
    name = "egov.national_portal"
    label = "national_portal"
    verbose_name = _("National Public Service Portal")

    def ready(self) -> None:
        # checks: check --deploy; labels: the audit actions' names;
        # receivers: the dossier events that fill the outbox
        from egov.national_portal import checks, labels, receivers  # noqa: F401


# The staff menu links here with this label; listed so that this app's catalogue translates it.
NAVIGATION_LABELS = [_("National portal sync")]
