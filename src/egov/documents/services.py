"""Operations on registers and outgoing documents: the only code that changes them. Each runs in
one transaction and writes the audit trail in it.

The outgoing workflow (Nghị định 30/2020/NĐ-CP, Điều 10–16): a specialist drafts, submits to a
leader; the leader returns it with comments or approves it and signs with their personal
certificate; the clerk (văn thư) issues it: the number is taken from the register at that moment,
written into the document, and the agency signs with its certificate and seal; then it goes to
its recipients (documents.delivery).
"""

import hashlib
import mimetypes

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts import scoping
from egov.accounts.models import Role
from egov.core import audit, files
from egov.core.events import publish
from egov.core.uploads import UploadRejected, check
from egov.documents import numbering, pdfdoc, references, search
from egov.documents.kinds import DocumentType, Secrecy
from egov.documents.models import (
    AgencyProfile,
    Comment,
    DocumentFile,
    DocumentRegister,
    OfficialDocument,
    Recipient,
)
from egov.signatures import services as signatures
from egov.signatures.models import SigningCertificate
from egov.signatures.signing import Placement, SignatureError

DOCUMENT_AUDIT_FIELDS = [
    "state",
    "document_type",
    "subject",
    "urgency",
    "register_id",
    "number",
    "year",
    "reference",
    "approver_id",
    "issued_at",
    "revoked_at",
]
CLERK_ROLES = [Role.CLERK]
LEADER_ROLES = [Role.LEADER, Role.APPROVER]
DRAFTER_ROLES = [Role.SPECIALIST, Role.LEADER, Role.APPROVER, Role.CLERK]
DRAFT_TYPES = ["pdf", "docx"]
EDITABLE = {OfficialDocument.State.DRAFT, OfficialDocument.State.RETURNED}


class DocumentError(ValidationError):
    """Refused with a translated message that says what to do."""


def _require(actor, roles, agency) -> None:
    if actor is None:
        return  # management commands, the demo, the exchange worker
    if not any(scoping.has_role(actor, role, agency) for role in roles):
        raise PermissionDenied(_("You do not hold the role this step needs in this agency."))


def refuse_secret(secrecy: str) -> None:
    """State secrets never travel through this system (Luật Bảo vệ bí mật nhà nước 2018)."""
    if secrecy and secrecy != Secrecy.NONE:
        raise DocumentError(
            _(
                "A document marked %(mark)s contains state secrets and must not be drafted, "
                "registered or sent on this system. Handle it on paper, in the secret register, "
                "through the secret document channel."
            )
            % {"mark": Secrecy(secrecy).label}
        )


def _record(actor, action: str, document: OfficialDocument, before=None, **extra) -> None:
    after = audit.snapshot(document, DOCUMENT_AUDIT_FIELDS)
    after.update(extra)
    audit.record(
        actor=actor,
        action=action,
        obj=document,
        object_repr=(document.reference or document.subject)[:300],
        agency_id=document.agency_id,
        before=before,
        after=after,
    )


def store_file(document, role: str, name: str, data: bytes, mime: str = "", code: str = ""):
    mime = mime or mimetypes.guess_type(name)[0] or "application/octet-stream"
    item = DocumentFile(
        document=document,
        role=role,
        name=name[:255],
        mime=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        verification_code=code,
    )
    files.save(item.content, f"{document.public_id}-{role}-{name[-60:]}", data)
    item.save()
    return item


def file_of(document, role: str) -> DocumentFile | None:
    return document.files.filter(role=role).order_by("-id").first()


def read(item: DocumentFile) -> bytes:
    with item.content.open("rb") as handle:
        return handle.read()


# --- Registers and the agency's profile ---------------------------------------------------------


@transaction.atomic
def save_profile(agency, *, actor, abbreviation: str, place_name: str = "", governing_body=""):
    _require(actor, [Role.CLERK, Role.AGENCY_ADMIN], agency)
    abbreviation = abbreviation.strip()
    if not abbreviation or len(abbreviation) > 20 or " " in abbreviation:
        raise DocumentError(
            _("Give the abbreviation as written in notations, without spaces, e.g. UBND or STP.")
        )
    profile, _created = AgencyProfile.objects.get_or_create(
        agency=agency, defaults={"abbreviation": abbreviation}
    )
    before = {"abbreviation": profile.abbreviation, "place_name": profile.place_name}
    profile.abbreviation = abbreviation
    profile.place_name = place_name.strip()
    profile.governing_body = governing_body.strip()
    profile.save()
    audit.record(
        actor=actor,
        action="documents.profile_saved",
        obj=profile,
        agency_id=agency.pk,
        before=before,
        after={"abbreviation": abbreviation, "place_name": profile.place_name},
    )
    return profile


@transaction.atomic
def create_register(
    agency,
    *,
    actor,
    direction: str,
    name: str,
    kind: str = DocumentRegister.Kind.ADMINISTRATIVE,
    document_types=(),
    issuer_abbreviation: str = "",
) -> DocumentRegister:
    _require(actor, [Role.CLERK, Role.AGENCY_ADMIN], agency)
    name = name.strip()
    if not name:
        raise DocumentError(_("Give the register a name, e.g. Sổ văn bản đi 2026."))
    unknown = [t for t in document_types if t not in DocumentType.values]
    if unknown:
        raise DocumentError(_("Unknown document type: %(types)s.") % {"types": ", ".join(unknown)})
    if DocumentRegister.objects.filter(agency=agency, direction=direction, name=name).exists():
        raise DocumentError(_("This agency already has a register with that name."))
    register = DocumentRegister.objects.create(
        agency=agency,
        direction=direction,
        kind=kind,
        name=name,
        document_types=list(document_types),
        issuer_abbreviation=issuer_abbreviation.strip(),
    )
    audit.record(
        actor=actor,
        action="documents.register_created",
        obj=register,
        agency_id=agency.pk,
        after={"name": name, "direction": direction, "kind": kind},
    )
    return register


def ensure_registers(agency, *, actor=None) -> None:
    """The two registers every agency starts with: general outgoing and incoming."""
    for direction, name in (
        (DocumentRegister.Direction.OUTGOING, "Sổ đăng ký văn bản đi"),
        (DocumentRegister.Direction.INCOMING, "Sổ đăng ký văn bản đến"),
    ):
        if not DocumentRegister.objects.filter(agency=agency, direction=direction).exists():
            create_register(agency, actor=actor, direction=direction, name=name)


# --- Drafting -----------------------------------------------------------------------------------


def _check_upload(data: bytes, accepted) -> str:
    try:
        return check(data, accepted=accepted).mime
    except UploadRejected as exc:
        raise DocumentError(str(exc)) from exc


def _recipient_rows(document, recipients) -> list[Recipient]:
    rows = []
    for item in recipients:
        kind = item["kind"]
        if kind == Recipient.Kind.PLATFORM:
            agency = item["agency"]
            if agency.pk == document.agency_id:
                raise DocumentError(_("A document is not sent to its own agency."))
            rows.append(
                Recipient(
                    document=document,
                    kind=kind,
                    agency=agency,
                    name=agency.name,
                    organ_code=agency.code,
                )
            )
        elif kind == Recipient.Kind.EXTERNAL:
            rows.append(
                Recipient(document=document, kind=kind, organ_code=item["code"], name=item["name"])
            )
        else:
            rows.append(
                Recipient(
                    document=document,
                    kind=kind,
                    name=item.get("name") or item["email"],
                    email=item["email"],
                )
            )
    return rows


@transaction.atomic
def create_draft(
    agency,
    *,
    actor,
    subject: str,
    document_type: str = DocumentType.LETTER,
    body: str = "",
    secrecy: str = "",
    urgency: str = "0",
    legal_normative: bool = False,
    reply_due=None,
    drafting_unit=None,
    approver=None,
    signer_title: str = "",
    signer_competence: str = "",
    recipients=(),
    draft_file: tuple[str, bytes] | None = None,
    attachments=(),
    in_reply_to=None,
    replaces=None,
) -> OfficialDocument:
    """A new outgoing draft. ``recipients``: dicts with ``kind`` (platform: ``agency``;
    external: ``code`` and ``name``; email: ``email`` and ``name``)."""
    refuse_secret(secrecy)
    _require(actor, DRAFTER_ROLES, agency)
    subject = " ".join(subject.split())
    if not subject:
        raise DocumentError(_("Write the subject (trích yếu) of the document."))
    if not body.strip() and draft_file is None:
        raise DocumentError(_("Write the text of the document, or attach its Word or PDF file."))
    if drafting_unit is not None and not drafting_unit.path.startswith(agency.path):
        raise DocumentError(_("The drafting unit must be part of the issuing agency."))
    if replaces is not None and (
        replaces.agency_id != agency.pk or replaces.state != OfficialDocument.State.ISSUED
    ):
        raise DocumentError(_("Only an issued document of this agency can be replaced."))
    document = OfficialDocument.objects.create(
        agency=agency,
        direction=OfficialDocument.Direction.OUTGOING,
        state=OfficialDocument.State.DRAFT,
        document_type=document_type,
        legal_normative=legal_normative,
        subject=subject[:500],
        body=body.strip(),
        urgency=urgency,
        reply_due=reply_due,
        drafting_unit=drafting_unit,
        drafted_by=actor if getattr(actor, "is_authenticated", False) else None,
        approver=approver,
        signer_name=(approver.full_name if approver else ""),
        signer_title=signer_title.strip(),
        signer_competence=signer_competence.strip(),
        in_reply_to=in_reply_to,
        replaces=replaces,
    )
    Recipient.objects.bulk_create(_recipient_rows(document, recipients))
    if draft_file is not None:
        name, data = draft_file
        mime = _check_upload(data, DRAFT_TYPES)
        store_file(document, DocumentFile.Role.DRAFT, name, data, mime)
    for name, data in attachments:
        mime = _check_upload(data, ["pdf"])
        store_file(document, DocumentFile.Role.APPENDIX, name, data, mime)
    search.index(document)
    _record(actor, "documents.drafted", document)
    return document


def _lock(document) -> OfficialDocument:
    return OfficialDocument.objects.select_for_update().get(pk=document.pk)


@transaction.atomic
def submit(document, *, actor, approver=None) -> OfficialDocument:
    document = _lock(document)
    _require(actor, DRAFTER_ROLES, document.agency)
    if document.state not in EDITABLE:
        raise DocumentError(_("Only a draft, or a draft returned for changes, can be submitted."))
    approver = approver or document.approver
    if approver is None or not any(
        scoping.has_role(approver, role, document.agency) for role in LEADER_ROLES
    ):
        raise DocumentError(_("Choose a leader of the agency to approve the document."))
    before = audit.snapshot(document, DOCUMENT_AUDIT_FIELDS)
    document.state = OfficialDocument.State.SUBMITTED
    document.approver = approver
    document.signer_name = approver.full_name or approver.username
    document.save(update_fields=["state", "approver", "signer_name", "updated_at"])
    _record(actor, "documents.submitted", document, before)
    publish("documents.approval_requested", document=document, leader=approver)
    return document


def _comment(document, actor, kind: str, text: str) -> Comment:
    return Comment.objects.create(
        document=document,
        kind=kind,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        author_name=(getattr(actor, "full_name", "") or str(actor or ""))[:200],
        text=text.strip(),
    )


def _require_approver(document, actor) -> None:
    _require(actor, LEADER_ROLES, document.agency)
    if actor is not None and document.approver_id not in (None, actor.pk):
        raise PermissionDenied(_("Another leader was asked to approve this document."))


@transaction.atomic
def return_for_changes(document, *, actor, comment: str) -> OfficialDocument:
    document = _lock(document)
    _require_approver(document, actor)
    if document.state != OfficialDocument.State.SUBMITTED:
        raise DocumentError(_("Only a document waiting for approval can be returned."))
    if not comment.strip():
        raise DocumentError(_("Say what must change: the comment is kept with the document."))
    before = audit.snapshot(document, DOCUMENT_AUDIT_FIELDS)
    _comment(document, actor, Comment.Kind.REVIEW, comment)
    document.state = OfficialDocument.State.RETURNED
    document.save(update_fields=["state", "updated_at"])
    _record(actor, "documents.returned", document, before, comment=comment.strip()[:500])
    return document


@transaction.atomic
def revise(document, *, actor, subject=None, body=None, draft_file=None) -> OfficialDocument:
    document = _lock(document)
    _require(actor, DRAFTER_ROLES, document.agency)
    if document.state not in EDITABLE:
        raise DocumentError(_("Only a draft, or a draft returned for changes, can be changed."))
    before = audit.snapshot(document, DOCUMENT_AUDIT_FIELDS)
    if subject is not None and subject.strip():
        document.subject = " ".join(subject.split())[:500]
    if body is not None:
        document.body = body.strip()
    if draft_file is not None:
        name, data = draft_file
        store_file(document, DocumentFile.Role.DRAFT, name, data, _check_upload(data, DRAFT_TYPES))
    document.save()
    search.index(document)
    _record(actor, "documents.revised", document, before)
    return document


def _content_html(document) -> str:
    draft = file_of(document, DocumentFile.Role.DRAFT)
    if draft is None or document.body:
        return ""
    data = read(draft)
    if draft.mime == "application/pdf":
        return ""
    try:
        return pdfdoc.word_to_html(data)
    except pdfdoc.PdfProblem as exc:
        raise DocumentError(
            _("The Word file of the draft could not be read; save it again as .docx.")
        ) from exc


def personal_certificate(user) -> SigningCertificate:
    certificate = (
        SigningCertificate.objects.filter(
            user=user,
            holder=SigningCertificate.Holder.PERSON,
            status=SigningCertificate.Status.ACTIVE,
        )
        .order_by("-not_after")
        .first()
    )
    if certificate is None or not certificate.usable:
        raise DocumentError(
            _(
                "You have no personal signing certificate in force on the platform: import it "
                "on the digital signatures page first."
            )
        )
    return certificate


def agency_certificate(agency) -> SigningCertificate:
    candidates = SigningCertificate.objects.filter(
        agency=agency,
        holder=SigningCertificate.Holder.AGENCY,
        status=SigningCertificate.Status.ACTIVE,
    ).order_by("-not_after")
    for certificate in candidates:
        if certificate.usable:
            return certificate
    raise DocumentError(
        _(
            "%(agency)s has no agency certificate in force to sign with: its administrator "
            "imports one on the digital signatures page."
        )
        % {"agency": agency.name}
    )


def _sign(data: bytes, **options):
    try:
        return signatures.sign_pdf(data, **options)
    except SignatureError as exc:
        raise DocumentError(exc.message) from exc


@transaction.atomic
def approve_and_sign(document, *, actor, comment: str = "", signer_title: str = ""):
    """The leader approves and signs with their personal certificate: the document is laid out
    (with blank number and date fields) and signed where the signer's block stands."""
    document = _lock(document)
    _require_approver(document, actor)
    if document.state != OfficialDocument.State.SUBMITTED:
        raise DocumentError(_("Only a document waiting for approval can be approved."))
    certificate = personal_certificate(actor)
    profile = numbering.profile_of(document.agency)
    before = audit.snapshot(document, DOCUMENT_AUDIT_FIELDS)
    if signer_title.strip():
        document.signer_title = signer_title.strip()
    document.signer_name = actor.full_name or actor.username
    document.place_name = profile.place_name
    document.year = timezone.localdate().year
    register = numbering.register_for(document)
    hint = numbering.notation(document, register)
    draft = file_of(document, DocumentFile.Role.DRAFT)
    code = signatures.new_verification_code()
    if draft is not None and draft.mime == "application/pdf" and not document.body:
        # The PDF is the document as drafted: it is signed as it is, with the number and date
        # fields added where Phụ lục I puts them, for the clerk to fill at issue.
        try:
            composed = pdfdoc.place_fields(read(draft), document, notation_hint=hint)
        except pdfdoc.PdfProblem as exc:
            raise DocumentError(
                _(
                    "The PDF of the draft could not be prepared for its number and date (it is "
                    "damaged or protected by a password); upload it again without protection."
                )
            ) from exc
    else:
        composed = pdfdoc.compose(
            document,
            profile=profile,
            content_html=_content_html(document),
            notation_hint=hint,
            verification_code=code,
        )
    result = _sign(
        composed.data,
        signer_certificate=certificate,
        actor=actor,
        reference=("documents.approval", str(document.public_id)),
        title=document.subject[:255],
        placement=Placement(composed.page, composed.signer_box),
        qr=False,
    )
    store_file(
        document, DocumentFile.Role.DRAFT, "ban-trinh-ky.pdf", result.data, "application/pdf", code
    )
    if comment.strip():
        _comment(document, actor, Comment.Kind.REVIEW, comment)
    document.state = OfficialDocument.State.APPROVED
    document.approved_at = timezone.now()
    document.save()
    _record(actor, "documents.approved", document, before, signature=result.document.code)
    return document


@transaction.atomic
def issue(document, *, actor, register=None) -> OfficialDocument:
    """The clerk issues: takes the number, writes it and the date, signs with the agency's
    certificate and seal, signs the attachments, and sends the document to its recipients.
    Everything happens in one transaction: a failed signature gives the number back."""
    from egov.documents import delivery

    audit.hold_chain(document.agency_id)
    document = _lock(document)
    _require(actor, CLERK_ROLES, document.agency)
    if document.state != OfficialDocument.State.APPROVED:
        raise DocumentError(_("Only an approved and signed document can be issued."))
    signed = file_of(document, DocumentFile.Role.DRAFT)
    certificate = agency_certificate(document.agency)
    register = register or numbering.register_for(document)
    if register.agency_id != document.agency_id or register.direction != "out":
        raise DocumentError(_("Choose an outgoing register of this agency."))
    before = audit.snapshot(document, DOCUMENT_AUDIT_FIELDS)
    now = timezone.now()
    local = timezone.localtime(now)
    document.year = local.year
    document.register = register
    document.number = numbering.next_number(register, local.year)
    document.reference = numbering.reference(
        document.number, numbering.notation(document, register)
    )
    document.document_date = local.date()
    filled = pdfdoc.fill_fields(
        read(signed),
        {
            pdfdoc.NUMBER_FIELD: f"Số: {document.reference}",
            pdfdoc.DATE_FIELD: pdfdoc.date_line(document, local),
        },
    )
    box = pdfdoc.signer_box_of(filled)
    result = _sign(
        filled,
        signer_certificate=certificate,
        actor=actor,
        reference=("documents.outgoing", str(document.public_id)),
        title=f"{document.reference} {document.subject}"[:255],
        placement=Placement(box[0], pdfdoc.agency_box(box[1])),
        qr=False,
        code=signed.verification_code or None,
    )
    store_file(
        document,
        DocumentFile.Role.SIGNED,
        f"{document.reference.replace('/', '_')}.pdf",
        result.data,
        "application/pdf",
        result.document.code,
    )
    for appendix in document.files.filter(role=DocumentFile.Role.APPENDIX):
        signed_appendix = _sign(
            read(appendix),
            signer_certificate=certificate,
            actor=actor,
            reference=("documents.attachment", str(document.public_id)),
            title=f"{document.reference} – {appendix.name}"[:255],
            visible=False,
            qr=False,
        )
        store_file(
            document,
            DocumentFile.Role.APPENDIX,
            f"{document.reference.replace('/', '_')}-{appendix.name}",
            signed_appendix.data,
            "application/pdf",
            signed_appendix.document.code,
        )
        appendix.delete()
    document.state = OfficialDocument.State.ISSUED
    document.issued_at = now
    document.issued_by = actor if getattr(actor, "is_authenticated", False) else None
    document.save()
    search.index(document)
    _record(actor, "documents.issued", document, before)
    references.publish(document)
    if document.replaces_id:
        old = _lock(document.replaces)
        old_before = audit.snapshot(old, DOCUMENT_AUDIT_FIELDS)
        old.state = OfficialDocument.State.REPLACED
        old.save(update_fields=["state", "updated_at"])
        _record(actor, "documents.replaced", old, old_before, replaced_by=document.reference)
    delivery.send(document, actor=actor)
    return document


@transaction.atomic
def revoke(document, *, actor, reason: str) -> OfficialDocument:
    """Thu hồi: the issuer takes an issued document back; every recipient is told (status 13)
    and answers whether it agrees (15) or not (16)."""
    from egov.documents import delivery

    document = _lock(document)
    _require(actor, CLERK_ROLES + LEADER_ROLES, document.agency)
    if document.state != OfficialDocument.State.ISSUED:
        raise DocumentError(_("Only an issued document can be revoked."))
    if not reason.strip():
        raise DocumentError(_("Give the reason for the revocation: the recipients see it."))
    before = audit.snapshot(document, DOCUMENT_AUDIT_FIELDS)
    document.state = OfficialDocument.State.REVOKED
    document.revoked_at = timezone.now()
    document.revocation_reason = reason.strip()[:500]
    document.save()
    _record(actor, "documents.revoked", document, before, reason=document.revocation_reason)
    delivery.send_revocation(document, actor=actor)
    return document


def may_see(user, document) -> bool:
    return scoping.agency_scope(user).filter(pk=document.agency_id).exists()


def staff_agencies(user, roles=None):
    return scoping.agency_scope(user, roles)


def people_with_role(agency, roles):
    """Staff who hold one of ``roles`` in ``agency`` (there, or over it with its sub-tree)."""
    from django.db.models import Q

    from egov.accounts.models import User

    ancestors = [int(part) for part in agency.path.strip("/").split("/") if part.isdigit()]
    condition = Q(role_assignments__agency=agency) | Q(
        role_assignments__agency__in=ancestors, role_assignments__include_subtree=True
    )
    return (
        User.objects.filter(condition, role_assignments__role__in=roles, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


def leaders_of(agency):
    return people_with_role(agency, LEADER_ROLES)
