"""One English text, one Vietnamese wording across the catalogues.

Django merges every app's catalogue and the project's into one: where two catalogues translate
the same text differently, one silently wins on every page (the notifications' "Delivered"
replaced the postal status on the citizen's page). A text that needs two wordings needs two
msgids, or a context (pgettext)."""

import gettext
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "egov"

# Different wordings that were there when this check came in; each should get its own msgid or a
# context, and leave this list. The list may only shrink.
KNOWN = {
    "Agency",
    "agency",
    "answered",
    "answer",
    "At the desk",
    "attempts",
    "By post",
    "Category",
    "channel",
    "citizen ID number (CCCD)",
    "Correct the fields listed in “errors” and send the request again.",
    "Details",
    "Document",
    "Draft",
    "event",
    "exempt",
    "Excel workbook (.xlsx)",
    "Give a Vietnamese phone number, e.g. 0912345678.",
    "Handled by",
    "Import",
    "in use",
    "Late",
    "No agency has the code %(code)s.",
    "No fee.",
    "Nothing here.",
    "Number",
    "on time",
    "People",
    "Personnel",
    "phone",
    "Phone",
    "Rate",
    "received",
    "Received",
    "reference",
    "Refused",
    "State",
    "status",
    "Status",
    "Subject",
    "subject",
    "Supplement requested",
    "The file is not an Excel workbook (.xlsx).",
    "Time limit",
    "to",
    "Total",
    "valid from",
    "verification code",
    "Withdrawn",
    "Write at most %(n)s characters.",
    "address",
}


def _catalogues():
    for mo in sorted(SRC.glob("**/locale/vi/LC_MESSAGES/django.mo")):
        with mo.open("rb") as handle:
            yield mo.relative_to(SRC).parts[0], gettext.GNUTranslations(handle)._catalog


def test_a_text_has_one_vietnamese_wording_in_every_catalogue():
    wordings = defaultdict(dict)
    for name, catalogue in _catalogues():
        for msgid, msgstr in catalogue.items():
            if isinstance(msgid, str) and msgid and "\x04" not in msgid and msgstr:
                wordings[msgid][name] = msgstr
    differing = {msgid for msgid, found in wordings.items() if len(set(found.values())) > 1}
    new = {msgid: wordings[msgid] for msgid in differing - KNOWN}
    assert not new, new
    assert KNOWN - differing == set(), "fixed: remove these from KNOWN"
