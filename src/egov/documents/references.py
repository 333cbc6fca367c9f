"""How other apps find a document of the registers by its number and date (egov.core.references):
an issued outgoing document first, else an incoming one that an agency has registered. The
notation is compared as the registers write it (numbering gives it without spaces)."""

from django.urls import reverse

from egov.core import events, references
from egov.documents.models import OfficialDocument

State = OfficialDocument.State
IN_REGISTER = [State.ISSUED, State.REPLACED, State.REVOKED, State.REGISTERED,
               State.IN_PROGRESS, State.DONE]  # fmt: skip
CHUNK = 500


def find(keys: list[references.Key]) -> dict[references.Key, references.DocumentLink]:
    found: dict[references.Key, references.DocumentLink] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        wanted = set(chunk)
        rows = (
            OfficialDocument.objects.filter(
                reference__in={reference for reference, _day in chunk},
                document_date__in={day for _reference, day in chunk},
                state__in=IN_REGISTER,
            )
            .order_by("-direction", "pk")  # the issuer's own ("out") before a receiver's copy
            .values_list("public_id", "reference", "subject", "document_date")
        )
        for public_id, reference, subject, day in rows:
            key = (references.normalize(reference), day)
            if key in wanted and key not in found:
                found[key] = references.DocumentLink(public_id, reference, subject)
    return found


def url(public_id) -> str:
    return reverse("documents:detail", args=[public_id])


def publish(document: OfficialDocument) -> None:
    """Tells the other apps that a document is now in a register (egov.core.references)."""
    if document.reference and document.document_date:
        events.publish(
            "documents.entered_register",
            public_id=document.public_id,
            reference=document.reference,
            document_date=document.document_date,
        )
