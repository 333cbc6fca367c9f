from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "egov.accounts"
    label = "accounts"
    verbose_name = _("People and roles")

    def ready(self):
        from egov.accounts import labels  # noqa: F401 - the audit actions' names
