"""Public tracking by code. Only what the receipt already shows: no name, no address, no file.

Look-ups are the most frequent public request, so the answer is kept in the shared cache per
code and dropped whenever the dossier changes (``signals.dossier_changed``, sent with every
recorded change): a change is visible at the next look-up. Only the language-free facts are
cached; labels are added per request in the visitor's language.
"""

import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import receiver

from egov.core.throttling import address_allowed
from egov.dossiers import signals
from egov.dossiers.models import Dossier

CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,6}$")
# A bound on staleness should a drop ever be missed (a look-up racing a commit, a renamed
# agency); the drop on change is what keeps answers current.
CACHE_SECONDS = 300
_LABELS = dict(Dossier.Status.choices)
# The tracking page and the tracking API share one count per client address
# (``EGOV_TRACKING_RATE``): whoever harvests codes gets the limit once, whichever door is used.
TRACKING_SCOPE = "tracking"


def within_limit(request) -> bool:
    """Counts one look-up for the client address; False once it has had its share."""
    return address_allowed(request, settings.EGOV_TRACKING_RATE, TRACKING_SCOPE)


def _key(code: str) -> str:
    return f"tracking:v1:{code}"


def _facts(code: str) -> dict | None:
    # One query: the dossier with its names, one row per history event (LEFT JOIN, ordered as
    # the history is).
    rows = list(
        Dossier.objects.exclude(status=Dossier.Status.DRAFT)
        .filter(code=code)
        .order_by("events__at", "events__id")
        .values_list(
            "code",
            "procedure_version__name",
            "receiving_agency__name",
            "status",
            "submitted_at",
            "due_at",
            "events__at",
            "events__status",
        )
    )
    if not rows:
        return None
    code, procedure, agency, status, submitted_at, due_at = rows[0][:6]
    return {
        "code": code,
        "procedure": procedure,
        "agency": agency,
        "status": status,
        "submitted_at": submitted_at,
        "due_at": due_at,
        "history": [(at, event) for *_, at, event in rows if at is not None],
    }


def lookup(code: str) -> dict | None:
    code = code.strip().upper()
    if not CODE.match(code):
        return None  # not a code: nothing to look up
    facts = cache.get(_key(code))
    if facts is None:
        facts = _facts(code)
        if facts is None:
            return None  # unknown codes are not cached: the rate limit bounds them
        cache.set(_key(code), facts, CACHE_SECONDS)
    return {
        **facts,
        "status_label": str(_LABELS.get(facts["status"], facts["status"])),
        "history": [
            {"at": at, "status": status, "status_label": str(_LABELS.get(status, status))}
            for at, status in facts["history"]
        ],
    }


def forget(code: str | None) -> None:
    if not code:
        return
    cache.delete(_key(code))
    # Again once the change is committed: a look-up between now and the commit still read the
    # old row and may have cached it.
    transaction.on_commit(lambda: cache.delete(_key(code)), robust=True)


@receiver(signals.dossier_changed, dispatch_uid="tracking.forget")
def _on_dossier_changed(sender, dossier, **kwargs):
    forget(dossier.code)
