"""The names of the audit actions this app records (egov.core.action_labels)."""

from django.utils.translation import gettext_lazy as _

from egov.core import action_labels

ACTIONS = {
    "feedback.received": _("Citizen report received"),
    "feedback.assigned": _("Citizen report assigned"),
    "feedback.transferred": _("Citizen report transferred to another agency"),
    "feedback.merged": _("Citizen report merged as a duplicate"),
    "feedback.hidden": _("Citizen report hidden from the public"),
    "feedback.shown": _("Citizen report shown to the public again"),
    "feedback.redacted": _("Personal data hidden in a citizen report"),
    "feedback.media_hidden": _("Photo or video of a citizen report hidden"),
    "feedback.media_fetched": _("Photo of a citizen report fetched from its client application"),
    "feedback.media_url_refused": _(
        "Photo of a citizen report not fetched from its client application"
    ),
    "feedback.answered": _("Citizen report answered"),
    "feedback.closed": _("Citizen report closed"),
    "feedback.rated": _("Citizen report rated by the reporter"),
    "feedback.reopened": _("Citizen report reopened by the reporter"),
    "feedback.category_saved": _("Report category saved"),
    "feedback.questions_saved": _("Questions of a report category saved"),
    "feedback.api_key_issued": _("Open311 API key issued"),
    "feedback.api_key_revoked": _("Open311 API key revoked"),
    "feedback.boundaries_loaded": _("Commune boundaries loaded"),
}
action_labels.register(ACTIONS)

# The notifications app shows these with this app's events (notifications/feedback_events.py);
# listed here so that this app's catalogue translates them.
NOTIFICATION_WORDS = [
    _("Citizen report update"),
    _("the reporter's name (may be empty)"),
    _("the report's code"),
    _("what the report is about"),
    _("the agency responsible for it"),
    _("the address where the reporter follows, rates or reopens the report"),
    _("the date by which the agency answers"),
    _("the agency's answer"),
    _("what happened"),
    _("the explanation (may be empty)"),
]

# The statistics page lays out this app's figures (reports/feedback_tables.py) with these words.
STATISTICS_WORDS = [
    _("Not answered yet"),
    _("Reports"),
    _("On time"),
    _("Late"),
    _("On-time share"),
    _("Citizen reports by month"),
    _("Citizen reports by category"),
    _("Citizen reports by agency"),
    _("Citizen reports by commune"),
    _("Month"),
    _("Commune"),
    _("Not known"),
    _(
        "Reports (phản ánh, kiến nghị) count as received in the month they arrived and as answered "
        "in the month of the answer; a duplicate merged into another report is answered there."
    ),
]
