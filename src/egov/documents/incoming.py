"""Incoming documents (văn bản đến, Nghị định 30/2020/NĐ-CP, Điều 20–24): arrival, registration
in the incoming register (số đến, per calendar year), refusal, the leader's direction (ý kiến chỉ
đạo) to a department and handlers with a deadline on the working-day calendar, progress, the
reply, and the answer to a sender's revocation. Each step tells the sender (delivery.report).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts import scoping
from egov.accounts.models import Role
from egov.core import audit
from egov.core.calendar import add_working_time
from egov.core.events import publish
from egov.documents import delivery, numbering, references, search
from egov.documents.kinds import Business, Status
from egov.documents.models import Assignment, Comment, DocumentFile, OfficialDocument
from egov.documents.services import (
    CLERK_ROLES,
    DOCUMENT_AUDIT_FIELDS,
    LEADER_ROLES,
    DocumentError,
    _check_upload,
    _comment,
    _lock,
    _record,
    _require,
    read,
    refuse_secret,
    store_file,
)

State = OfficialDocument.State
DUE_SOON = datetime.timedelta(days=3)


def _exists(agency, exchange_id: str) -> OfficialDocument | None:
    if not exchange_id:
        return None
    return OfficialDocument.objects.filter(
        agency=agency, direction=OfficialDocument.Direction.INCOMING, exchange_id=exchange_id
    ).first()


def arrive_from_platform(source: OfficialDocument, agency) -> OfficialDocument:
    """The copy of an issued document for an agency of the platform (in the issuing
    transaction)."""
    copy = OfficialDocument.objects.create(
        agency=agency,
        direction=OfficialDocument.Direction.INCOMING,
        state=State.ARRIVED,
        channel=OfficialDocument.Channel.PLATFORM,
        document_type=source.document_type,
        legal_normative=source.legal_normative,
        subject=source.subject,
        urgency=source.urgency,
        reply_due=source.reply_due,
        reference=source.reference,
        document_date=source.document_date,
        signer_name=source.signer_name,
        signer_title=source.signer_title,
        sender_agency=source.agency,
        sender_code=source.agency.code,
        sender_name=source.agency.name,
        source=source,
        exchange_id=exchange_id_of(source),
        arrived_at=timezone.now(),
    )
    for item in source.files.filter(
        role__in=[DocumentFile.Role.SIGNED, DocumentFile.Role.APPENDIX]
    ):
        role = DocumentFile.Role.RECEIVED if item.role == DocumentFile.Role.SIGNED else item.role
        store_file(copy, role, item.name, read(item), item.mime, item.verification_code)
    if source.replaces_id:
        _mark_replaced(agency, exchange_id_of(source.replaces), copy)
    search.index(copy)
    _record("platform", "documents.arrived", copy)
    publish("documents.arrived", document=copy)
    return copy


def exchange_id_of(document: OfficialDocument) -> str:
    """QCVN 102:2016 DocumentId: the issuer's code, the date and the number and notation."""
    if not document.reference or document.document_date is None:
        return ""
    code = document.sender_code or document.agency.code
    if document.direction == OfficialDocument.Direction.OUTGOING:
        code = document.agency.code
    return f"{code},{document.document_date:%Y/%m/%d},{document.reference}"


def _mark_replaced(agency, old_exchange_id: str, new_copy: OfficialDocument) -> None:
    old = _exists(agency, old_exchange_id)
    if old is not None and old.state not in (State.REFUSED, State.REVOKED):
        before = audit.snapshot(old, DOCUMENT_AUDIT_FIELDS)
        old.state = State.REPLACED
        old.save(update_fields=["state", "updated_at"])
        _record("exchange", "documents.replaced", old, before, replaced_by=new_copy.reference)


def arrive_from_exchange(agency, parsed, files) -> tuple[OfficialDocument, bool]:
    """The copy of a package that came through the exchange, and whether it is new (the caller
    holds the transaction; a package already registered is returned, never registered twice)."""
    existing = _exists(agency, parsed.document_id)
    if existing is not None:
        if parsed.business == Business.UPDATE:
            _apply_update(existing, parsed, files)
        return existing, False
    copy = OfficialDocument.objects.create(
        agency=agency,
        direction=OfficialDocument.Direction.INCOMING,
        state=State.ARRIVED,
        channel=OfficialDocument.Channel.EXCHANGE,
        document_type=parsed.document_type,
        subject=parsed.subject[:500],
        body=parsed.content,
        urgency=parsed.priority,
        reply_due=parsed.due_date,
        reference=parsed.reference[:100],
        document_date=parsed.promulgation_date,
        place_name=parsed.place[:100],
        signer_name=parsed.signer_name[:200],
        signer_title=parsed.signer_position[:200],
        sender_code=parsed.from_code,
        sender_name=parsed.from_name[:255],
        exchange_id=parsed.document_id,
        arrived_at=timezone.now(),
    )
    for index, (name, mime, data) in enumerate(files):
        role = DocumentFile.Role.RECEIVED if index == 0 else DocumentFile.Role.APPENDIX
        store_file(copy, role, name, data, mime)
    for old_id in parsed.replaces:
        _mark_replaced(agency, old_id, copy)
    search.index(copy)
    _record("exchange", "documents.arrived", copy, channel="exchange")
    publish("documents.arrived", document=copy)
    return copy, True


UPDATABLE = ["subject", "body", "urgency", "reply_due", "signer_name", "signer_title"]


def _apply_update(copy: OfficialDocument, parsed, files) -> None:
    """An update (BussinessDocType 2) of a document this agency already holds: its details and
    files as the sender now gives them, on the same copy (same incoming number, direction and
    handlers); the files it had are kept, the newest is the one shown. A copy refused or
    revoked here stays as it is."""
    if copy.state in (State.REFUSED, State.REVOKED, State.REPLACED):
        return
    before = audit.snapshot(copy, DOCUMENT_AUDIT_FIELDS)
    values = {
        "subject": parsed.subject[:500],
        "body": parsed.content,
        "urgency": parsed.priority,
        "reply_due": parsed.due_date,
        "signer_name": parsed.signer_name[:200],
        "signer_title": parsed.signer_position[:200],
    }
    changed = [name for name in UPDATABLE if getattr(copy, name) != values[name]]
    for name in changed:
        setattr(copy, name, values[name])
    copy.save(update_fields=[*changed, "updated_at"])
    for index, (name, mime, data) in enumerate(files):
        role = DocumentFile.Role.RECEIVED if index == 0 else DocumentFile.Role.APPENDIX
        store_file(copy, role, name, data, mime)
    reason = parsed.business_reason or _("no reason given")
    Comment.objects.create(
        document=copy,
        kind=Comment.Kind.NOTE,
        author_name=copy.sender_name[:200],
        text=_("The sender updated this document (%(fields)s): %(reason)s")
        % {
            "fields": ", ".join(
                str(getattr(OfficialDocument._meta.get_field(n), "verbose_name", n))
                for n in changed
            )
            or _("files only"),
            "reason": reason,
        },
    )
    search.index(copy)
    _record("exchange", "documents.updated", copy, before, changed=changed, reason=reason[:300])


@transaction.atomic
def register_paper(
    agency,
    *,
    actor,
    subject: str,
    sender_name: str,
    reference: str = "",
    document_date=None,
    document_type: str = "CV",
    urgency: str = "0",
    secrecy: str = "",
    scan: tuple[str, bytes] | None = None,
) -> OfficialDocument:
    """A paper document brought or posted to the agency: scanned and registered at once."""
    refuse_secret(secrecy)
    _require(actor, CLERK_ROLES, agency)
    if not subject.strip() or not sender_name.strip():
        raise DocumentError(_("Write the subject and the sender of the paper document."))
    if scan is None:
        raise DocumentError(_("Attach the scan of the paper document (PDF or image)."))
    mime = _check_upload(scan[1], ["pdf", "png", "jpg"])
    audit.hold_chain(agency.pk)
    document = OfficialDocument.objects.create(
        agency=agency,
        direction=OfficialDocument.Direction.INCOMING,
        state=State.ARRIVED,
        channel=OfficialDocument.Channel.PAPER,
        subject=" ".join(subject.split())[:500],
        sender_name=sender_name.strip()[:255],
        reference=reference.strip()[:100],
        document_date=document_date,
        document_type=document_type,
        urgency=urgency,
        arrived_at=timezone.now(),
    )
    store_file(document, DocumentFile.Role.SCAN, scan[0], scan[1], mime)
    _take_number(document, actor)
    return document


def _take_number(document: OfficialDocument, actor) -> None:
    register = numbering.incoming_register_of(document.agency)
    before = audit.snapshot(document, DOCUMENT_AUDIT_FIELDS)
    now = timezone.now()
    document.register = register
    document.year = timezone.localtime(now).year
    document.number = numbering.next_number(register, document.year)
    document.state = State.REGISTERED
    document.registered_at = now
    document.registered_by = actor if getattr(actor, "is_authenticated", False) else None
    document.save()
    search.index(document)
    _record(actor, "documents.registered", document, before)
    references.publish(document)


@transaction.atomic
def register(document, *, actor) -> OfficialDocument:
    """Vào sổ: the incoming number, and statuses 03 (registered) and 04 (waiting for
    assignment) to the sender."""
    audit.hold_chain(document.agency_id)
    document = _lock(document)
    _require(actor, CLERK_ROLES, document.agency)
    if document.state != State.ARRIVED:
        raise DocumentError(_("Only a document that arrived and is not registered yet can be."))
    _take_number(document, actor)
    delivery.report(document, Status.ACCEPTED, actor=actor)
    # Registered, it now waits for a leader's direction (the leader's list "to direct"): the
    # sender learns that too (04), then 05 when it is directed.
    delivery.report(document, Status.WAITING_ASSIGNMENT, actor=actor)
    publish("documents.registered", document=document)
    return document


@transaction.atomic
def refuse(document, *, actor, reason: str) -> OfficialDocument:
    """Từ chối: sent to the wrong agency, damaged, or unsigned; status 02 with the reason."""
    document = _lock(document)
    _require(actor, CLERK_ROLES, document.agency)
    if document.state != State.ARRIVED:
        raise DocumentError(
            _("Only a document that arrived and is not registered yet can be refused.")
        )
    if not reason.strip():
        raise DocumentError(_("Give the reason for refusing: the sender sees it."))
    before = audit.snapshot(document, DOCUMENT_AUDIT_FIELDS)
    document.state = State.REFUSED
    document.refusal_reason = reason.strip()[:500]
    document.save()
    _record(actor, "documents.refused", document, before, reason=document.refusal_reason)
    delivery.report(document, Status.REFUSED, document.refusal_reason, actor=actor)
    return document


@transaction.atomic
def direct(
    document,
    *,
    actor,
    instruction: str,
    lead_unit=None,
    handler,
    supporters=(),
    days: int | None = None,
    due: datetime.datetime | None = None,
) -> OfficialDocument:
    """The leader's direction: who handles it, with whom, and by when (working days from now on
    the city's calendar, or a given moment)."""
    document = _lock(document)
    _require(actor, LEADER_ROLES, document.agency)
    if document.state not in (State.REGISTERED, State.IN_PROGRESS):
        raise DocumentError(_("Only a registered document can be directed."))
    if not instruction.strip():
        raise DocumentError(_("Write the direction (ý kiến chỉ đạo) for the handlers."))
    if lead_unit is not None and not lead_unit.path.startswith(document.agency.path):
        raise DocumentError(_("The department in charge must be part of this agency."))
    for person in [handler, *supporters]:
        if not scoping.agency_scope(person).filter(pk=document.agency_id).exists() and not (
            person.agency_id and person.agency.path.startswith(document.agency.path)
        ):
            raise DocumentError(
                _("%(name)s does not work in this agency.") % {"name": person.full_name or person}
            )
    before = audit.snapshot(document, DOCUMENT_AUDIT_FIELDS)
    now = timezone.now()
    if due is None and days:
        if days < 1 or days > 365:
            raise DocumentError(_("Give the time to handle it in working days, from 1 to 365."))
        due = add_working_time(now, days=days)
    if due is not None and due <= now:
        raise DocumentError(_("The deadline must be in the future."))
    _comment(document, actor, Comment.Kind.DIRECTION, instruction)
    Assignment.objects.filter(document=document).exclude(role=Assignment.Role.LEAD).delete()
    Assignment.objects.update_or_create(
        document=document,
        user=handler,
        defaults={"role": Assignment.Role.LEAD, "assigned_by": actor},
    )
    Assignment.objects.filter(document=document, role=Assignment.Role.LEAD).exclude(
        user=handler
    ).delete()
    for person in supporters:
        if person.pk != handler.pk:
            Assignment.objects.update_or_create(
                document=document,
                user=person,
                defaults={"role": Assignment.Role.SUPPORT, "assigned_by": actor},
            )
    document.lead_unit = lead_unit
    document.handling_due = due
    document.state = State.IN_PROGRESS
    document.save()
    _record(
        actor,
        "documents.directed",
        document,
        before,
        handler=handler.username,
        due=due.isoformat() if due else None,
    )
    delivery.report(document, Status.ASSIGNED, actor=actor)
    publish("documents.assigned", document=document, handler=handler, supporters=list(supporters))
    return document


def _require_handler(document, actor) -> None:
    if actor is None:
        return
    if document.assignments.filter(user=actor).exists():
        return
    if any(scoping.has_role(actor, role, document.agency) for role in LEADER_ROLES):
        return
    raise PermissionDenied(_("Only the people assigned to this document record its progress."))


@transaction.atomic
def record_progress(document, *, actor, text: str) -> Comment:
    document = _lock(document)
    _require_handler(document, actor)
    if document.state != State.IN_PROGRESS:
        raise DocumentError(_("Progress is recorded while the document is being handled."))
    if not text.strip():
        raise DocumentError(_("Write what was done."))
    comment = _comment(document, actor, Comment.Kind.PROGRESS, text)
    _record(actor, "documents.progress", document, note=text.strip()[:300])
    return comment


@transaction.atomic
def complete(document, *, actor, note: str = "", reply=None) -> OfficialDocument:
    """Handled (status 06); a reply is an outgoing document that names this one."""
    document = _lock(document)
    _require_handler(document, actor)
    if document.state != State.IN_PROGRESS:
        raise DocumentError(_("Only a document being handled can be marked as handled."))
    if reply is not None and reply.in_reply_to_id != document.pk:
        raise DocumentError(_("That reply does not answer this document."))
    before = audit.snapshot(document, DOCUMENT_AUDIT_FIELDS)
    if note.strip():
        _comment(document, actor, Comment.Kind.PROGRESS, note)
    document.state = State.DONE
    document.done_at = timezone.now()
    document.save()
    document.assignments.filter(done_at__isnull=True).update(done_at=document.done_at)
    _record(
        actor,
        "documents.completed",
        document,
        before,
        reply=reply.reference if reply is not None else "",
    )
    delivery.report(document, Status.DONE, note.strip()[:200], actor=actor)
    return document


def revocation_requested(copy: OfficialDocument, reason: str) -> None:
    """The sender revokes (status 13): the clerk is asked to agree or refuse."""
    Comment.objects.create(
        document=copy,
        kind=Comment.Kind.NOTE,
        author_name=copy.sender_name[:200],
        text=_("The sender revokes this document: %(reason)s") % {"reason": reason},
    )
    copy.revocation_reason = reason[:500]
    copy.save(update_fields=["revocation_reason", "updated_at"])
    _record("exchange", "documents.revocation_requested", copy, reason=reason[:300])
    publish("documents.revocation_requested", document=copy)


@transaction.atomic
def answer_revocation(document, *, actor, agree: bool, note: str = "") -> OfficialDocument:
    document = _lock(document)
    _require(actor, CLERK_ROLES + LEADER_ROLES, document.agency)
    if not document.revocation_reason or document.state in (State.REVOKED, State.REFUSED):
        raise DocumentError(_("The sender has not asked to revoke this document."))
    before = audit.snapshot(document, DOCUMENT_AUDIT_FIELDS)
    if agree:
        document.state = State.REVOKED
        document.revoked_at = timezone.now()
        document.save()
    _record(actor, "documents.revocation_answered", document, before, agreed=agree)
    code = Status.REVOCATION_AGREED if agree else Status.REVOCATION_REFUSED
    delivery.report(document, code, note, actor=actor)
    return document


def queue(user, which: str):
    """The clerk's and handlers' lists: to register, mine, due soon, overdue."""
    documents = scoping.scoped(
        OfficialDocument.objects.filter(direction=OfficialDocument.Direction.INCOMING), user
    )
    now = timezone.now()
    if which == "arrived":
        clerk = scoping.agency_scope(user, [Role.CLERK]).values("pk")
        return documents.filter(state=State.ARRIVED, agency__in=clerk)
    if which == "to_direct":
        leader = scoping.agency_scope(user, LEADER_ROLES).values("pk")
        return documents.filter(state=State.REGISTERED, agency__in=leader)
    open_states = [State.IN_PROGRESS]
    if which == "mine":
        return OfficialDocument.objects.filter(
            assignments__user=user, state__in=open_states
        ).distinct()
    if which == "due_soon":
        return documents.filter(
            state__in=open_states, handling_due__gt=now, handling_due__lte=now + DUE_SOON
        )
    if which == "overdue":
        return documents.filter(state__in=open_states, handling_due__lte=now)
    return documents.filter(~Q(state=State.ARRIVED))
