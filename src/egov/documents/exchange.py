"""Exchange with agencies outside the platform through the document exchange axis (edXML).

Sending: every package or status is written to the outbox (``ExchangeMessage``) in the
transaction of the change it reports, signed by the agency, and a worker hands it to the axis
(:func:`send_due`), retrying with back-off while the axis is down. Each message carries its own
id as the idempotency key, so a retry after a lost answer is not delivered twice.

Receiving: the worker lists what the axis holds for this platform (:func:`poll`), fetches each
message, checks it (schema, signature, trusted certificate), registers it in one transaction
with its log row, and then confirms it to the axis. A message already in the log is confirmed
again without being processed twice; a message refused is logged, answered with status 02
when its sender can be told, and confirmed so that it does not come back.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit
from egov.documents import edxml
from egov.documents.axis import AxisClient, AxisRefused, AxisUnavailable
from egov.documents.kinds import STATUS_DESCRIPTIONS, Business, Status
from egov.documents.models import (
    DocumentFile,
    ExchangeMessage,
    OfficialDocument,
    Recipient,
)
from egov.organizations.models import Agency

logger = logging.getLogger("egov.documents.exchange")
MAX_BACKOFF = datetime.timedelta(hours=1)


def _certificate(agency):
    from egov.documents.services import agency_certificate

    return agency_certificate(agency)


def _schedule() -> None:
    def enqueue():
        from egov.documents.tasks import send_exchange_outbox

        try:
            send_exchange_outbox.enqueue()
        except Exception:  # the worker's loop sends what is due anyway
            logger.exception("could not enqueue the exchange outbox task")

    transaction.on_commit(enqueue, robust=True)


def _outbox(**fields) -> ExchangeMessage:
    message = ExchangeMessage.objects.create(
        direction=ExchangeMessage.Direction.OUT,
        state=ExchangeMessage.State.PENDING,
        next_attempt_at=timezone.now(),
        **fields,
    )
    _schedule()
    return message


def _files(document) -> list[edxml.Attachment]:
    from egov.documents.services import read

    items = list(
        document.files.filter(
            role__in=[DocumentFile.Role.SIGNED, DocumentFile.Role.APPENDIX]
        ).order_by("role", "id")
    )
    items.sort(key=lambda item: item.role != DocumentFile.Role.SIGNED)
    return [edxml.Attachment(item.name, item.mime, read(item)) for item in items]


def package_for(document: OfficialDocument, recipients) -> bytes:
    from egov.documents.incoming import exchange_id_of

    notation = document.reference.split("/", 1)[1] if "/" in document.reference else ""
    return edxml.build_package(
        edxml.Package(
            from_code=document.agency.code,
            from_name=document.agency.name,
            to=[(r.organ_code, r.name) for r in recipients],
            document_id=exchange_id_of(document),
            number=document.number or 0,
            notation=notation,
            place=document.place_name,
            promulgation_date=document.document_date,
            document_type=document.document_type,
            subject=document.subject,
            content=document.body[:4000],
            signer_name=document.signer_name,
            signer_position=document.signer_title,
            signer_competence=document.signer_competence,
            due_date=document.reply_due,
            priority=document.urgency,
            business=Business.REPLACE if document.replaces_id else Business.NEW,
            replaces=[exchange_id_of(document.replaces)] if document.replaces_id else [],
            response_for=[document.in_reply_to.exchange_id]
            if document.in_reply_to_id and document.in_reply_to.exchange_id
            else [],
            staff=document.issued_by.full_name if document.issued_by_id else "",
            attachments=_files(document),
        ),
        certificate=_certificate(document.agency),
        actor=None,
    )


def enqueue_document(document: OfficialDocument, recipient: Recipient) -> ExchangeMessage:
    from egov.documents.incoming import exchange_id_of

    return _outbox(
        kind=ExchangeMessage.Kind.EDOC,
        business=Business.REPLACE if document.replaces_id else Business.NEW,
        agency=document.agency,
        document=document,
        recipient=recipient,
        from_code=document.agency.code,
        to_code=recipient.organ_code,
        exchange_id=exchange_id_of(document),
        payload=package_for(document, [recipient]),
    )


def _status_payload(agency, *, document_id, organ_id, code, day, status, note, staff=""):
    return edxml.build_status(
        edxml.StatusMessage(
            document_id=document_id,
            organ_id=organ_id,
            code=code,
            promulgation_date=day or timezone.localdate(),
            from_code=agency.code,
            from_name=agency.name,
            status=status,
            description=(STATUS_DESCRIPTIONS.get(status, "") + (f": {note}" if note else ""))[
                :1900
            ],
            timestamp="",
            staff=staff,
        ),
        certificate=_certificate(agency),
        actor=None,
    )


def _signed_or_logged(build, what: str):
    """A status the agency cannot sign (no certificate in force) is not sent; the change it
    reports stands, and the log and audit trail say why the sender was not told."""
    from egov.documents.services import DocumentError

    try:
        return build()
    except DocumentError as exc:
        logger.warning("status %s not sent: %s", what, exc.messages[0])
        return None


def enqueue_status(copy: OfficialDocument, status: str, note: str = "", *, actor=None):
    """A status of an incoming document, for the agency that sent it."""
    return _signed_or_logged(lambda: _enqueue_status(copy, status, note, actor), status)


def _enqueue_status(copy, status, note, actor):
    return _outbox(
        kind=ExchangeMessage.Kind.STATUS,
        status_code=status,
        agency=copy.agency,
        document=copy,
        from_code=copy.agency.code,
        to_code=copy.sender_code,
        exchange_id=copy.exchange_id,
        payload=_status_payload(
            copy.agency,
            document_id=copy.exchange_id,
            organ_id=copy.sender_code,
            code=copy.reference,
            day=copy.document_date,
            status=status,
            note=note,
            staff=getattr(actor, "full_name", "") or "",
        ),
    )


def enqueue_status_for(document: OfficialDocument, recipient: Recipient, status: str, note=""):
    """A status the issuer sends about its own document (13: revoked)."""
    from egov.documents.incoming import exchange_id_of

    return _outbox(
        kind=ExchangeMessage.Kind.STATUS,
        status_code=status,
        agency=document.agency,
        document=document,
        recipient=recipient,
        from_code=document.agency.code,
        to_code=recipient.organ_code,
        exchange_id=exchange_id_of(document),
        payload=_status_payload(
            document.agency,
            document_id=exchange_id_of(document),
            organ_id=document.agency.code,
            code=document.reference,
            day=document.document_date,
            status=status,
            note=note,
        ),
    )


# --- Sending ------------------------------------------------------------------------------------


def _backoff(attempts: int) -> datetime.timedelta:
    base = datetime.timedelta(seconds=settings.EGOV_DOCUMENTS_EXCHANGE_RETRY_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def send_due(*, client: AxisClient | None = None, limit: int = 100) -> dict:
    """Hands the due outbox messages to the axis; returns counts."""
    client = client or AxisClient()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    due = list(
        ExchangeMessage.objects.filter(
            direction=ExchangeMessage.Direction.OUT,
            state=ExchangeMessage.State.PENDING,
            next_attempt_at__lte=timezone.now(),
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        with transaction.atomic():
            message = (
                ExchangeMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=ExchangeMessage.State.PENDING)
                .first()
            )
            if message is None:
                continue  # another worker has it
            message.attempts += 1
            try:
                message.axis_id = client.send(
                    payload=bytes(message.payload),
                    from_code=message.from_code,
                    to_code=message.to_code,
                    message_type=message.kind,
                    key=str(message.message_id),
                )
            except AxisUnavailable as exc:
                message.last_error = str(exc)[:500]
                message.next_attempt_at = timezone.now() + _backoff(message.attempts)
                counts["retry"] += 1
            except AxisRefused as exc:
                message.last_error = str(exc)[:500]
                message.state = ExchangeMessage.State.FAILED
                message.next_attempt_at = None
                counts["failed"] += 1
                _audit_message(message, "documents.exchange_failed")
            else:
                message.state = ExchangeMessage.State.SENT
                message.done_at = timezone.now()
                message.last_error = ""
                message.next_attempt_at = None
                counts["sent"] += 1
                if message.recipient_id and message.kind == ExchangeMessage.Kind.EDOC:
                    Recipient.objects.filter(pk=message.recipient_id).update(
                        delivered_at=message.done_at
                    )
                _audit_message(message, "documents.exchange_sent")
            message.save()
    return counts


def retry(message: ExchangeMessage, *, actor) -> None:
    """Puts a failed message back in the outbox (after the operator fixed the cause)."""
    with transaction.atomic():
        message.state = ExchangeMessage.State.PENDING
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["state", "next_attempt_at"])
        _audit_message(message, "documents.exchange_retried", actor=actor)
    _schedule()


def _audit_message(message, action: str, *, actor="exchange", **extra) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=message,
        object_repr=f"{message.get_kind_display()} {message.from_code} → {message.to_code}",
        agency_id=message.agency_id,
        after={
            "kind": message.kind,
            "status_code": message.status_code,
            "exchange_id": message.exchange_id,
            "state": message.state,
            "attempts": message.attempts,
            "error": message.last_error[:200],
            **extra,
        },
    )


# --- Receiving ----------------------------------------------------------------------------------


def poll(*, client: AxisClient | None = None) -> dict:
    """Takes what the axis holds for this platform: packages first, then statuses."""
    client = client or AxisClient()
    counts = {"accepted": 0, "rejected": 0, "duplicates": 0}
    for kind in (ExchangeMessage.Kind.EDOC, ExchangeMessage.Kind.STATUS):
        for item in client.received(kind):
            axis_id = item["id"]
            if ExchangeMessage.objects.filter(
                direction=ExchangeMessage.Direction.IN, axis_id=axis_id
            ).exists():
                counts["duplicates"] += 1  # taken before, but the confirmation was lost
                client.confirm(axis_id, "done")
                continue
            data = client.fetch(axis_id)
            outcome = receive(data, axis_id=axis_id, to_code=item.get("to", ""))
            counts[outcome] += 1
            client.confirm(axis_id, "done" if outcome == "accepted" else "fail")
    return counts


def receive(data: bytes, *, axis_id: str, to_code: str) -> str:
    """Checks and registers one message; ``accepted``, ``rejected`` or ``duplicates``."""
    try:
        with transaction.atomic():
            root = edxml.check(data)
            if edxml.kind_of(root) == "status":
                _receive_status(edxml.parse_status(root), data, axis_id, to_code)
            else:
                _receive_package(edxml.parse_package(root), data, axis_id, to_code)
    except IntegrityError:
        return "duplicates"  # the same message processed meanwhile by another worker
    except edxml.EdxmlError as exc:
        _refuse(data, axis_id, to_code, str(exc))
        return "rejected"
    return "accepted"


def _receiving_agency(to_code: str, codes) -> Agency:
    agency = Agency.objects.filter(code=to_code).first() if to_code else None
    if agency is None or (codes and to_code not in codes):
        raise edxml.EdxmlError(
            _("The package is not addressed to an agency of this platform (%(code)s).")
            % {"code": to_code}
        )
    return agency


def _log_in(**fields) -> ExchangeMessage:
    return ExchangeMessage.objects.create(
        direction=ExchangeMessage.Direction.IN, done_at=timezone.now(), **fields
    )


def _receive_package(package: edxml.Package, data, axis_id, to_code) -> None:
    from egov.documents import incoming

    agency = _receiving_agency(to_code, [code for code, _name in package.to])
    if not package.attachments:
        raise edxml.EdxmlError(_("The package carries no document file."))
    audit.hold_chain(agency.pk)
    copy, new = incoming.arrive_from_exchange(
        agency, package, [(a.name, a.mime, a.data) for a in package.attachments]
    )
    _log_in(
        kind=ExchangeMessage.Kind.EDOC,
        business=package.business,
        agency=agency,
        document=copy,
        from_code=package.from_code,
        to_code=agency.code,
        exchange_id=package.document_id,
        axis_id=axis_id,
        payload=data,
        state=ExchangeMessage.State.ACCEPTED,
    )
    if new:
        enqueue_status(copy, Status.ARRIVED)


def _receive_status(status: edxml.StatusMessage, data, axis_id, to_code) -> None:
    from egov.documents import delivery, incoming

    agency = _receiving_agency(to_code, [])
    log = {
        "kind": ExchangeMessage.Kind.STATUS,
        "status_code": status.status,
        "agency": agency,
        "from_code": status.from_code,
        "to_code": agency.code,
        "exchange_id": status.document_id,
        "axis_id": axis_id,
        "payload": data,
        "state": ExchangeMessage.State.ACCEPTED,
    }
    if status.status == Status.REVOKED:
        copy = OfficialDocument.objects.filter(
            agency=agency, direction="in", exchange_id=status.document_id
        ).first()
        if copy is None:
            raise edxml.EdxmlError(_("The revocation names a document this agency never received."))
        incoming.revocation_requested(copy, status.description.split(": ", 1)[-1])
        _log_in(document=copy, **log)
        return
    recipient = _recipient_for(agency, status)
    if recipient is None:
        raise edxml.EdxmlError(
            _("The status names a document this agency never sent to its sender.")
        )
    note = status.description.split(": ", 1)[1] if ": " in status.description else ""
    delivery.record_status(recipient, status.status, note, actor="exchange")
    _log_in(document=recipient.document, recipient=recipient, **log)


def _recipient_for(agency, status: edxml.StatusMessage) -> Recipient | None:
    try:
        reference = status.document_id.split(",", 2)[2]
    except IndexError:
        return None
    candidates = Recipient.objects.select_related("document").filter(
        document__agency=agency,
        document__direction=OfficialDocument.Direction.OUTGOING,
        document__reference=reference,
        organ_code=status.from_code,
        kind=Recipient.Kind.EXTERNAL,
    )
    from egov.documents.incoming import exchange_id_of

    for recipient in candidates:
        if exchange_id_of(recipient.document) == status.document_id:
            return recipient
    return None


def _refuse(data: bytes, axis_id: str, to_code: str, reason: str) -> None:
    """Logs a refused message and, for a package whose sender and receiver are known, answers
    with status 02 so the sender knows it must send again."""
    sender, document_id = edxml.sender_of(data)
    agency = Agency.objects.filter(code=to_code).first() if to_code else None
    logger.warning("exchange message %s refused: %s", axis_id, reason)
    with transaction.atomic():
        message = _log_in(
            kind=ExchangeMessage.Kind.EDOC,
            agency=agency,
            from_code=sender[:20],
            to_code=to_code[:20],
            exchange_id=document_id[:200],
            axis_id=axis_id,
            payload=data[:1_000_000],
            state=ExchangeMessage.State.REJECTED,
            last_error=reason[:500],
        )
        _audit_message(message, "documents.package_refused", reason=reason[:300])
        if agency is not None and sender and document_id:
            parts = [*document_id.split(",", 2), "", ""][:3]
            _signed_or_logged(
                lambda: _outbox(
                    kind=ExchangeMessage.Kind.STATUS,
                    status_code=Status.REFUSED,
                    agency=agency,
                    from_code=agency.code,
                    to_code=sender[:20],
                    exchange_id=document_id[:200],
                    payload=_status_payload(
                        agency,
                        document_id=document_id,
                        organ_id=parts[0] or sender,
                        code=parts[2] or "-",
                        day=edxml._parse_date(parts[1]),
                        status=Status.REFUSED,
                        note=reason,
                    ),
                ),
                Status.REFUSED,
            )
