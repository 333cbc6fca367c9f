from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "egov.organizations"
    label = "organizations"
    verbose_name = _("Organisations")

    def ready(self):
        from egov.organizations import labels  # noqa: F401 - the audit actions' names
