"""Operations on digitised papers: the only code that changes them.

The desk digitises a paper dossier's papers (OCR into PDF/A, the agency's signature); each result
issued joins its applicant's store; the citizen adds papers of their own and, when submitting,
attaches one from the store instead of uploading it again (a reuse).
"""

import calendar
import datetime
import hashlib
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import Role, User
from egov.accounts.scoping import has_role
from egov.catalog.models import DocumentRequirement
from egov.catalog.search import current_versions
from egov.core import audit, files, uploads
from egov.core.text import normalize_search_text
from egov.digitization import kinds, ocr, signals
from egov.digitization.models import Paper, Reuse
from egov.dossiers import processing
from egov.dossiers import services as dossiers
from egov.dossiers.models import Attachment, Channel, Dossier
from egov.signatures import services as signatures
from egov.signatures.models import SignedDocument, SigningCertificate
from egov.signatures.signing import SignatureError

SCAN_TYPES = ["pdf", "jpg", "png", "tif"]
STORE_TYPES = ["pdf", "jpg", "png"]


@dataclass(frozen=True)
class PaperFacts:
    """What the desk officer (or the citizen) confirms about a paper."""

    number: str = ""
    issuer: str = ""
    issued_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    kind_name: str = ""


def _check_facts(facts: PaperFacts) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if facts.issued_on and facts.issued_on > today:
        errors["issued_on"] = [_("The issue date cannot be in the future.")]
    if facts.issued_on and facts.expires_on and facts.expires_on < facts.issued_on:
        errors["expires_on"] = [_("The paper cannot expire before it was issued.")]
    if errors:
        raise ValidationError(errors)


def _store(paper: Paper, data: bytes) -> None:
    paper.size = len(data)
    paper.sha256 = hashlib.sha256(data).hexdigest()
    files.save(paper.file, f"paper.{paper.extension}", data)


def _facts_after(paper: Paper) -> dict[str, Any]:
    return {
        "kind": paper.kind,
        "number": paper.number,
        "issuer": paper.issuer,
        "issued_on": paper.issued_on,
        "expires_on": paper.expires_on,
        "source": paper.source,
        "sha256": paper.sha256,
        "signed": paper.signed,
    }


# -- at the desk -----------------------------------------------------------------------------


def may_digitise(actor: User, dossier: Dossier) -> bool:
    """The receiving agency's one-stop desk digitises the papers it received."""
    return has_role(actor, Role.DESK_OFFICER, dossier.receiving_agency)


def desk_dossier(actor: User, public_id: uuid.UUID | str) -> Dossier:
    """A dossier the official may digitise, or Dossier.DoesNotExist (another agency's too)."""
    dossier = (
        processing.visible_to_staff(actor)
        .select_related("procedure_version", "receiving_agency", "applicant")
        .get(public_id=public_id)
    )
    if not may_digitise(actor, dossier):
        raise Dossier.DoesNotExist
    return dossier


def agency_certificate(agency: Any) -> SigningCertificate | None:
    """The agency's own certificate in force, which certifies its electronic copies."""
    now = timezone.now()
    return (
        SigningCertificate.objects.filter(
            agency=agency,
            holder=SigningCertificate.Holder.AGENCY,
            status=SigningCertificate.Status.ACTIVE,
            not_before__lte=now,
            not_after__gte=now,
        )
        .order_by("-not_after")
        .first()
    )


def _scans_of(dossier: Dossier, requirement: DocumentRequirement) -> list[tuple[str, bytes]]:
    found = []
    for attachment in dossier.attachments.filter(
        requirement=requirement,
        kind__in=[Attachment.Kind.SUBMISSION, Attachment.Kind.SUPPLEMENT],
    ).order_by("uploaded_at", "id"):
        with attachment.file.open("rb") as handle:
            found.append((attachment.extension, handle.read()))
    return found


def digitise(
    dossier: Dossier,
    *,
    actor: User,
    requirement_id: int,
    facts: PaperFacts,
    scans: list[tuple[str, bytes]] | None = None,
) -> Paper:
    """One paper of the dossier as a certified electronic copy (bản sao điện tử): its scans (the
    new ones given, else those received with the dossier) joined into one PDF/A with a
    Vietnamese text layer, signed with the agency's certificate when it has one."""
    if not may_digitise(actor, dossier):
        raise PermissionDenied
    if dossier.is_draft:
        raise ValidationError(_("A draft has no papers to digitise yet."))
    requirement = dossier.procedure_version.requirements.filter(pk=requirement_id).first()
    if requirement is None:
        raise ValidationError(_("This document is not part of the procedure."))
    _check_facts(facts)
    pages: list[tuple[str, bytes]] = []
    for name, data in scans or []:
        try:
            checked = uploads.check(data, accepted=SCAN_TYPES)
        except uploads.UploadRejected as exc:
            raise ValidationError(f"{name}: {exc}") from exc
        pages.append((checked.extension, data))
    if not pages:
        pages = _scans_of(dossier, requirement)
    if not pages:
        raise ValidationError(
            _("No scan of “%(name)s” was received with the dossier: scan the paper and add it.")
            % {"name": requirement.name}
        )
    try:
        made = ocr.digitise(pages)
    except ocr.ScanUnreadable as exc:
        raise ValidationError(str(exc)) from exc
    paper = Paper(
        owner=dossier.applicant,
        province_code=dossier.province_code,
        kind=kinds.of_requirement(requirement),
        kind_name=(facts.kind_name.strip() or requirement.name)[:500],
        number=facts.number.strip()[:100],
        issuer=facts.issuer.strip()[:300],
        issued_on=facts.issued_on,
        expires_on=facts.expires_on,
        pages=made.pages,
        source=Paper.Source.DESK,
        dossier=dossier,
        requirement=requirement,
        agency=dossier.receiving_agency,
        created_by=actor,
    )
    with transaction.atomic():  # the signature's registration and the paper, or neither
        data = _certify(paper, made.pdf, dossier)
        _store(paper, data)
        paper.save()
        signals.papers_changed.send(Paper, dossier=dossier)
        audit.record(
            actor=actor,
            action="digitization.paper_digitised",
            obj=paper,
            object_repr=f"{dossier.code}: {paper.kind_name}"[:200],
            agency_id=dossier.receiving_agency_id,
            after={**_facts_after(paper), "dossier": dossier.code, "pages": paper.pages},
        )
    return paper


def _certify(paper: Paper, pdf: bytes, dossier: Dossier) -> bytes:
    certificate = agency_certificate(dossier.receiving_agency)
    if certificate is None:
        return pdf
    try:
        signed = signatures.sign_pdf(
            pdf,
            signer_certificate=certificate,
            actor=None,  # the platform certifies in the agency's name, as it does results
            reference=("digitization.paper", str(paper.public_id)),
            title=paper.kind_name[:200],
            reason=_("Electronic copy of a paper of dossier %(code)s") % {"code": dossier.code},
        )
    except SignatureError as exc:
        raise ValidationError(str(exc)) from exc
    paper.signed = True
    paper.signature_code = signed.document.code
    return signed.data


# -- results ---------------------------------------------------------------------------------

VALIDITY = re.compile(r"(?:có giá trị|hiệu lực|thời hạn)\s+(\d+)\s+(ngày|tháng|năm)", re.IGNORECASE)


def validity_end(text: str, issued: datetime.date) -> datetime.date | None:
    """The end of a result's validity when the catalogue states it ("có giá trị 06 tháng",
    "hiệu lực 03 năm", "thời hạn 05 năm"); None when the paper does not expire."""
    found = VALIDITY.search(text)
    if not found:
        return None
    count, unit = int(found.group(1)), found.group(2).lower()
    if unit == "ngày":
        return issued + datetime.timedelta(days=count)
    months = issued.month - 1 + count * (12 if unit == "năm" else 1)
    year, month = issued.year + months // 12, months % 12 + 1
    return datetime.date(year, month, min(issued.day, calendar.monthrange(year, month)[1]))


def record_result(dossier: Dossier, result: Attachment | None) -> Paper | None:
    """The issued result joins the applicant's store with the dossier's facts; a result issued
    again (after a send-back) replaces the earlier one."""
    if result is None:
        return None
    version = dossier.procedure_version
    first = version.lines("results")
    name = first[0] if first else version.name
    issued = timezone.localdate(dossier.decided_at or timezone.now())
    paper = Paper.objects.filter(dossier=dossier, source=Paper.Source.RESULT).first() or Paper(
        owner=dossier.applicant,
        province_code=dossier.province_code,
        source=Paper.Source.RESULT,
        dossier=dossier,
    )
    document = (
        SignedDocument.objects.filter(reference_type="dossiers.result", reference_id=dossier.code)
        .order_by("-signed_at")
        .first()
    )
    paper.kind = kinds.of_result(dossier.procedure)
    paper.kind_name = name[:500]
    paper.number = dossier.code or ""
    deciding = dossier.deciding_agency or version.deciding_agency or dossier.receiving_agency
    paper.issuer = deciding.name[:300]
    paper.agency = deciding
    paper.issued_on = issued
    paper.expires_on = validity_end(name, issued)
    # The result's own stored file: results are never removed once issued.
    paper.file.name = result.file.name
    paper.extension, paper.mime = result.extension, result.mime
    paper.size, paper.sha256 = result.size, result.sha256
    paper.signed = document is not None and document.sha256 == result.sha256
    paper.signature_code = document.code if paper.signed and document else ""
    paper.save()
    audit.record(
        actor=None,
        action="digitization.result_stored",
        obj=paper,
        object_repr=f"{dossier.code}: {paper.kind_name}"[:200],
        agency_id=deciding.pk,
        after=_facts_after(paper),
    )
    return paper


def record_submission(dossier: Dossier) -> list[Paper]:
    """The papers a citizen uploaded online join their store once the dossier is submitted
    (the reused ones are there already)."""
    if dossier.channel != Channel.ONLINE:
        return []
    reused = set(Reuse.objects.filter(dossier=dossier).values_list("attachment_id", flat=True))
    made = []
    for attachment in dossier.attachments.filter(
        kind=Attachment.Kind.SUBMISSION, requirement__isnull=False
    ).select_related("requirement"):
        requirement = attachment.requirement
        if requirement is None or attachment.pk in reused or requirement.filled_by_eform:
            continue
        made.append(
            Paper(
                owner=dossier.applicant,
                province_code=dossier.province_code,
                kind=kinds.of_requirement(requirement),
                kind_name=requirement.name[:500],
                # The dossier's stored file: a submitted dossier's papers are never removed.
                file=attachment.file.name,
                extension=attachment.extension,
                mime=attachment.mime,
                size=attachment.size,
                sha256=attachment.sha256,
                source=Paper.Source.ONLINE,
                dossier=dossier,
                requirement=requirement,
                agency=dossier.receiving_agency,
                created_by=dossier.applicant,
            )
        )
    Paper.objects.bulk_create(made)
    if made:
        signals.papers_changed.send(Paper, dossier=dossier)
    return made


# -- the citizen's store ---------------------------------------------------------------------


def store(owner: User) -> QuerySet[Paper]:
    """A citizen's papers, newest first, and nobody else's."""
    return Paper.objects.filter(owner=owner).order_by("-created_at", "-id")


def valid(papers: QuerySet[Paper], day: datetime.date | None = None) -> QuerySet[Paper]:
    day = day or timezone.localdate()
    return papers.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))


def where_used(papers: Iterable[Paper]) -> dict[int, list[str]]:
    """The codes of the dossiers each paper was reused in (or came from)."""
    ids = [paper.pk for paper in papers]
    used: dict[int, list[str]] = {pk: [] for pk in ids}
    for paper_id, code in Reuse.objects.filter(paper_id__in=ids).values_list(
        "paper_id", "dossier__code"
    ):
        used[paper_id].append(code or _("draft"))
    return used


def offers(
    owner: User, requirements: Iterable[DocumentRequirement], day: datetime.date | None = None
) -> dict[int, list[Paper]]:
    """For each requirement, the citizen's own papers of its type still valid on ``day``,
    newest first (at most five: the newest are what the citizen means)."""
    wanted: dict[str, list[DocumentRequirement]] = {}
    for requirement in requirements:
        if requirement.filled_by_eform or "pdf" not in _accepted(requirement):
            continue
        wanted.setdefault(kinds.of_requirement(requirement), []).append(requirement)
    found: dict[int, list[Paper]] = {r.pk: [] for group in wanted.values() for r in group}
    for kind, group in wanted.items():
        papers = list(
            valid(Paper.objects.filter(owner=owner, kind=kind, extension="pdf"), day).order_by(
                "-created_at", "-id"
            )[:5]
        )
        for requirement in group:
            found[requirement.pk] = papers
    return found


def _accepted(requirement: DocumentRequirement) -> list[str]:
    return [t.lower().lstrip(".") for t in (requirement.accepted_types or ["pdf", "jpg", "png"])]


@transaction.atomic
def reuse(
    dossier: Dossier, *, applicant: User, paper_id: uuid.UUID | str, requirement_id: int
) -> Reuse:
    """Attaches a paper of the applicant's store to their dossier, without a new upload, and
    records the reuse. Only their own valid paper of the requirement's type is accepted."""
    paper = Paper.objects.filter(owner=applicant, public_id=paper_id).first()
    requirement = dossier.procedure_version.requirements.filter(pk=requirement_id).first()
    if paper is None or requirement is None:
        raise ValidationError(_("This paper is not in your store or not asked for here."))
    if paper.kind != kinds.of_requirement(requirement):
        raise ValidationError(_("This paper is not the one asked for here."))
    if not valid(Paper.objects.filter(pk=paper.pk)).exists():
        raise ValidationError(_("This paper has expired: attach a valid one."))
    with paper.file.open("rb") as handle:
        data = handle.read()
    attachment = dossiers.attach(
        dossier,
        applicant=applicant,
        requirement_id=requirement.pk,
        name=f"{paper.kind_name[:200]} {paper.number}".strip() + f".{paper.extension}",
        data=data,
    )
    made = Reuse.objects.create(
        province_code=dossier.province_code,
        paper=paper,
        dossier=dossier,
        attachment=attachment,
        agency=dossier.receiving_agency,
    )
    signals.papers_changed.send(Paper, dossier=dossier)
    audit.record(
        actor=applicant,
        action="digitization.paper_reused",
        obj=paper,
        object_repr=paper.kind_name[:200],
        agency_id=dossier.receiving_agency_id,
        after={"dossier": str(dossier.public_id), "requirement": requirement.pk},
    )
    return made


def known_kinds() -> list[tuple[str, str]]:
    """The paper types the catalogue asks for today, by name: what a citizen may add."""
    seen: dict[str, str] = {}
    for requirement in DocumentRequirement.objects.filter(
        version__in=current_versions(), filled_by_eform=False
    ).only("code", "name"):
        seen.setdefault(kinds.of_requirement(requirement), requirement.name)
    return sorted(seen.items(), key=lambda item: item[1])


def kinds_named(kinds: list[tuple[str, str]], query: str) -> list[tuple[str, str]]:
    """The kinds whose name holds every word of ``query``, accents and case aside."""
    words = normalize_search_text(query).split()
    if not words:
        return kinds
    return [
        (code, name)
        for code, name in kinds
        if all(word in normalize_search_text(name) for word in words)
    ]


@transaction.atomic
def add_paper(owner: User, *, kind: str, name: str, data: bytes, facts: PaperFacts) -> Paper:
    """A paper the citizen adds to their own store, checked like any upload."""
    names = dict(known_kinds())
    if kind not in names:
        raise ValidationError({"kind": [_("Choose the kind of paper from the list.")]})
    _check_facts(facts)
    try:
        checked = uploads.check(data, accepted=STORE_TYPES)
    except uploads.UploadRejected as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    paper = Paper(
        owner=owner,
        kind=kind,
        kind_name=names[kind][:500],
        number=facts.number.strip()[:100],
        issuer=facts.issuer.strip()[:300],
        issued_on=facts.issued_on,
        expires_on=facts.expires_on,
        extension=checked.extension,
        mime=checked.mime,
        source=Paper.Source.CITIZEN,
        created_by=owner,
    )
    _store(paper, data)
    paper.save()
    audit.record(
        actor=owner,
        action="digitization.paper_added",
        obj=paper,
        object_repr=paper.kind_name[:200],
        after={**_facts_after(paper), "name": name[:200]},
    )
    return paper


# -- what staff see --------------------------------------------------------------------------


def origins(dossier: Dossier) -> dict[int, Paper]:
    """For each attachment of the dossier that came from a citizen's store, the paper reused."""
    return {
        reuse.attachment_id: reuse.paper
        for reuse in Reuse.objects.filter(dossier=dossier).select_related("paper")
    }


def papers_of(dossier: Dossier) -> QuerySet[Paper]:
    """What was digitised from the dossier or issued to it."""
    return Paper.objects.filter(dossier=dossier).select_related("requirement").order_by("id")
