"""Where an issued document goes (nơi nhận), and the statuses that come back.

- An agency of the platform receives it at once, in the issuing transaction: the copy waits in
  its clerk's list as "arrived" (status 01).
- An agency outside the platform receives it through the document exchange: an edXML package,
  signed by the agency, written to the outbox in the same transaction (documents.exchange), and
  sent by the worker, so nothing is lost while the exchange or the other side is down.
- A person receives an e-mail with a link to the signed PDF (notifications, by an event).

Statuses (QCVN 102:2016) come back the same two ways and are kept on the recipient's row.
"""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from egov.core import audit
from egov.core.events import publish
from egov.documents.kinds import Status
from egov.documents.models import DocumentFile, OfficialDocument, Recipient

LINK_SALT = "documents.public-copy"


def public_link(document: OfficialDocument) -> str:
    """An unguessable address of the signed PDF, for the people it was e-mailed to."""
    from django.conf import settings

    token = signing.dumps(str(document.public_id), salt=LINK_SALT)
    path = reverse("documents_public:copy", args=[token])
    return f"{settings.EGOV_PUBLIC_BASE_URL.rstrip('/')}{path}"


def document_from_link(token: str) -> OfficialDocument | None:
    try:
        public_id = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        return None
    return OfficialDocument.objects.filter(
        public_id=public_id, state=OfficialDocument.State.ISSUED
    ).first()


def send(document: OfficialDocument, *, actor) -> None:
    """Runs inside the issuing transaction."""
    from egov.documents import exchange, incoming

    for recipient in document.recipients.select_related("agency"):
        if recipient.kind == Recipient.Kind.PLATFORM:
            copy = incoming.arrive_from_platform(document, recipient.agency)
            recipient.copy = copy
            recipient.delivered_at = timezone.now()
            recipient.status = Status.ARRIVED
            recipient.status_at = recipient.delivered_at
            recipient.save(update_fields=["copy", "delivered_at", "status", "status_at"])
        elif recipient.kind == Recipient.Kind.EXTERNAL:
            exchange.enqueue_document(document, recipient)
        else:
            publish(
                "documents.sent_by_email",
                document=document,
                recipient=recipient,
                link=public_link(document),
            )
            recipient.delivered_at = timezone.now()
            recipient.save(update_fields=["delivered_at"])


def send_revocation(document: OfficialDocument, *, actor) -> None:
    from egov.documents import exchange, incoming

    for recipient in document.recipients.select_related("copy"):
        if recipient.kind == Recipient.Kind.PLATFORM and recipient.copy_id:
            incoming.revocation_requested(recipient.copy, document.revocation_reason)
        elif recipient.kind == Recipient.Kind.EXTERNAL:
            exchange.enqueue_status_for(
                document, recipient, Status.REVOKED, document.revocation_reason
            )


@transaction.atomic
def record_status(recipient: Recipient, code: str, note: str = "", *, actor=None) -> None:
    """The other side's status (01–16) on the recipient's row, and in the audit trail."""
    before = {"status": recipient.status}
    recipient.status = code
    recipient.status_note = note[:500]
    recipient.status_at = timezone.now()
    recipient.save(update_fields=["status", "status_note", "status_at"])
    document = recipient.document
    audit.record(
        actor=actor or "exchange",
        action="documents.status_received",
        obj=document,
        object_repr=(document.reference or document.subject)[:300],
        agency_id=document.agency_id,
        before=before,
        after={"recipient": recipient.name, "status": code, "note": note[:200]},
    )
    publish("documents.recipient_status", document=document, recipient=recipient, code=code)


def report(copy: OfficialDocument, code: str, note: str = "", *, actor=None) -> None:
    """Tells the sender what happened to its document on this side."""
    from egov.documents import exchange

    if copy.channel == OfficialDocument.Channel.PLATFORM and copy.source_id:
        recipient = Recipient.objects.filter(document_id=copy.source_id, copy=copy).first()
        if recipient is not None:
            record_status(recipient, code, note, actor=actor)
    elif copy.channel == OfficialDocument.Channel.EXCHANGE:
        exchange.enqueue_status(copy, code, note, actor=actor)


def signed_file(document: OfficialDocument) -> DocumentFile | None:
    """The document's own file; after an update from the sender, the newest."""
    return (
        document.files.filter(
            role__in=[DocumentFile.Role.SIGNED, DocumentFile.Role.RECEIVED, DocumentFile.Role.SCAN]
        )
        .order_by("-id")
        .first()
    )
