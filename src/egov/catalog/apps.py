from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "egov.catalog"
    label = "catalog"
    verbose_name = _("Procedure catalogue")

    def ready(self):
        from egov.catalog import labels  # noqa: F401 - the audit actions' names
