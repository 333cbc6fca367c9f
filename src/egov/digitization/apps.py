from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class DigitizationConfig(AppConfig):
    name = "egov.digitization"
    label = "digitization"
    verbose_name = _("Digitised papers")

    def ready(self) -> None:
        from egov.digitization import labels, receivers  # noqa: F401 - action names, events


# The portal's, the back office's and the shared templates show these beside this app's pages;
# listed so that this app's own catalogue translates them (the project catalogue is refreshed
# separately).
SHARED_LABELS = [
    _("My papers"),
    _("Digitisation"),
    _("from your store"),
    _("Use a paper you already have (no upload)"),
    _("No. %(number)s"),
    _("valid until %(date)s"),
    _("does not expire"),
    _("Use this paper for “%(name)s”"),
    _("The paper was not attached: %(reason)s"),
    _("The paper from your store is attached."),
    _("reused from the citizen's store"),
    _("Digitise the papers"),
    ngettext_lazy("%(n)s paper digitised.", "%(n)s papers digitised.", "n"),
]
