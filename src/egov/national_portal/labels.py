"""The names of the audit actions this app records (egov.core.action_labels), so that the
audit trail never shows a raw code."""

from django.utils.translation import gettext_lazy as _

from egov.core import action_labels

ACTIONS = {
    "national_portal.refused": _("National portal refused a dossier change"),
    "national_portal.resent": _("Dossier change sent again to the national portal"),
    "national_portal.mapping_changed": _("National portal status mapping changed"),
}
action_labels.register(ACTIONS)
# egov.national_portal.outbox.ACTOR: what the worker writes as the actor of a refusal.
action_labels.register_actors({"national portal": _("National portal connector")})
