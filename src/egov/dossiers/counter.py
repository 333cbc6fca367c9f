"""Paper dossiers: brought to the counter or sent by post, entered by the desk officer.

The officer types the declaration, scans each paper, and the dossier is received at once (its
receipt, form 01, is printed for the applicant). The province's Public Administration Service
Centre (Trung tâm Phục vụ hành chính công) receives any provincial procedure; every service
centre, the province's or a commune's, receives a procedure on the province's list received
regardless of administrative boundary (tiếp nhận không phụ thuộc địa giới hành chính, Nghị định
118/2025/NĐ-CP) for any competent agency of the province, and names the competent one.
"""

import datetime
import hashlib
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts import services as accounts
from egov.accounts.models import Role, User
from egov.accounts.scoping import has_role
from egov.catalog import eforms
from egov.catalog.models import Level, ProcedureVersion
from egov.core import audit, files, uploads
from egov.dossiers import reception, return_desks
from egov.dossiers.models import Attachment, Channel, Dossier
from egov.dossiers.services import next_code, set_applicant_name
from egov.organizations.models import AdministrativeUnit, Agency

PAPER_CHANNELS = {Channel.DESK, Channel.POST}


@dataclass
class Applicant:
    full_name: str
    citizen_id: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    date_of_birth: datetime.date | None = None


@dataclass
class Scan:
    requirement_id: int
    name: str
    data: bytes = field(repr=False)


def _commune_level(version: ProcedureVersion) -> bool:
    return version.level == Level.COMMUNE and version.deciding_agency_id is None


def _version_agency(version: ProcedureVersion, desk_agency: Agency) -> Agency:
    return (
        version.deciding_agency
        or version.receiving_agencies.order_by("code").first()
        or desk_agency.served_agency
    )


def _receives_as_home(desk_agency: Agency, version: ProcedureVersion) -> bool:
    """Whether the desk is the procedure's own one-stop desk: the desk of the agency that
    receives or decides it, the province's centre for any provincial procedure, a commune's
    (centre's or People's Committee's) desk for its commune's procedures."""
    served = desk_agency.served_agency
    if desk_agency.kind == Agency.Kind.SERVICE_CENTRE:
        return not _commune_level(version)
    if _commune_level(version):
        return served.kind == Agency.Kind.PEOPLES_COMMITTEE
    ids = {desk_agency.pk, served.pk}
    return (
        version.deciding_agency_id in ids or version.receiving_agencies.filter(pk__in=ids).exists()
    )


def competent_agencies(desk_agency: Agency, version: ProcedureVersion):
    """The agencies a desk may receive ``version`` for.

    Its own one-stop desk receives for the competent agency (for a commune-level procedure,
    its commune's People's Committee); the province's service centre receives any provincial
    procedure for the agency that decides it. A procedure on the province's list received
    regardless of administrative boundary (Nghị định 118/2025/NĐ-CP) is received by every
    service centre, the province's or a commune's, for any competent agency of the province.
    """
    today = timezone.localdate()
    agencies = Agency.objects.as_of(today)
    communes = agencies.filter(
        kind=Agency.Kind.PEOPLES_COMMITTEE, unit__level=AdministrativeUnit.Level.COMMUNE
    )
    if desk_agency.is_service_centre and version.boundary_free:
        if _commune_level(version):
            return communes
        return agencies.filter(pk=_version_agency(version, desk_agency).pk)
    if not _receives_as_home(desk_agency, version):
        return agencies.none()
    if _commune_level(version):
        return communes.filter(pk=desk_agency.served_agency.pk)
    if desk_agency.kind == Agency.Kind.SERVICE_CENTRE:
        return agencies.filter(pk=_version_agency(version, desk_agency).pk)
    return agencies.filter(pk=(version.deciding_agency or desk_agency.served_agency).pk)


def where_to_hand_in(version: ProcedureVersion) -> list[str]:
    """Where a procedure's paper dossier is handed in, for a desk that must refuse it."""
    today = timezone.localdate()
    if _commune_level(version):
        return [_("the Public Administration Service Centre of the commune or ward concerned")]
    own = [agency.name for agency in version.receiving_agencies.as_of(today).order_by("name")]
    if not own and version.deciding_agency is not None:
        own = [version.deciding_agency.name]
    centres = Agency.objects.as_of(today).filter(kind=Agency.Kind.SERVICE_CENTRE)
    return own + [
        name for name in centres.order_by("name").values_list("name", flat=True) if name not in own
    ]


def refusal(desk_agency: Agency, version: ProcedureVersion) -> str:
    """Why this desk does not receive the procedure, naming where it is handed in."""
    where = "; ".join(where_to_hand_in(version))
    if desk_agency.is_service_centre:
        return _(
            "“%(procedure)s” is not on the province's list of procedures received regardless "
            "of administrative boundary: this centre receives it only for the agencies it "
            "serves. Hand it in at: %(where)s."
        ) % {"procedure": version.name, "where": where}
    return _("This desk is not competent to receive “%(procedure)s”. Hand it in at: %(where)s.") % {
        "procedure": version.name,
        "where": where,
    }


def _applicant(person: Applicant, *, officer) -> User:
    # The same person coming back is found by their CCCD or their phone, not created twice.
    for lookup in ({"citizen_id": person.citizen_id}, {"phone": person.phone}):
        value = next(iter(lookup.values()))
        existing = User.objects.filter(**lookup).first() if value else None
        if existing is not None:
            return existing
    if not (person.phone or person.email):
        raise ValidationError(
            {"phone": [_("Give a phone number or an e-mail so the applicant can be told.")]}
        )
    user = accounts.create_user(
        actor=officer,
        # No password: the applicant takes the account over by resetting it with that phone.
        username=f"quay-{uuid.uuid4().hex[:12]}",
        password=None,
        kind=User.Kind.CITIZEN,
        full_name=person.full_name,
        citizen_id=person.citizen_id or None,
        phone=person.phone or None,
        email=person.email,
        address=person.address,
        date_of_birth=person.date_of_birth,
    )
    return user


@transaction.atomic
def intake(
    *,
    officer,
    desk_agency: Agency,
    version: ProcedureVersion,
    applicant: Applicant,
    answers: dict,
    scans: list[Scan],
    channel: str = Channel.DESK,
    deciding_agency: Agency | None = None,
    result_delivery: str = Channel.DESK,
    delivery_address: str = "",
    return_agency: Agency | None = None,
) -> Dossier:
    """Receives a paper dossier in one step; nothing is kept if any part is refused."""
    if not has_role(officer, Role.DESK_OFFICER, desk_agency):
        raise PermissionDenied
    if channel not in PAPER_CHANNELS:
        raise ValidationError(_("Paper dossiers come to the counter or by post."))
    if not applicant.full_name.strip():
        raise ValidationError({"full_name": [_("Enter the applicant's full name.")]})
    competent = competent_agencies(desk_agency, version)
    if not competent.exists():
        raise ValidationError({"deciding_agency": [refusal(desk_agency, version)]})
    if deciding_agency is None and competent.count() == 1:
        deciding_agency = competent.get()
    foreign = deciding_agency is not None and not competent.filter(pk=deciding_agency.pk).exists()
    if foreign and not version.boundary_free and desk_agency.is_service_centre:
        raise ValidationError({"deciding_agency": [refusal(desk_agency, version)]})
    if deciding_agency is None or not competent.filter(pk=deciding_agency.pk).exists():
        raise ValidationError(
            {"deciding_agency": [_("Choose the agency competent for this procedure.")]}
        )
    errors = eforms.validate_data(version.form_schema, answers)
    if errors:
        raise ValidationError(errors)
    if result_delivery == Channel.POST and not delivery_address.strip():
        raise ValidationError(
            {"delivery_address": [_("Give the postal address where the result should be sent.")]}
        )
    return_agency = return_desks.choose(desk_agency, return_agency, result_delivery)
    person = _applicant(applicant, officer=officer)
    now = timezone.now()
    dossier = Dossier(
        procedure=version.procedure,
        procedure_version=version,
        receiving_agency=desk_agency,
        deciding_agency=deciding_agency,
        applicant=person,
        channel=channel,
        status=Dossier.Status.SUBMITTED,
        form_data=answers,
        result_delivery=result_delivery,
        delivery_address=delivery_address.strip(),
        return_agency=return_agency,
        submitted_at=now,
        code=next_code(desk_agency, timezone.localdate(now)),
    )
    set_applicant_name(dossier, applicant.full_name.strip())
    dossier.save()
    # A refusal below rolls the transaction back, and the scans already stored with it
    # (egov.core.files).
    stored = [_store_scan(dossier, scan) for scan in scans]
    missing = _missing(version, {a.requirement_id for a in stored})
    if missing:
        raise ValidationError({"scans": missing})
    audit.record(
        actor=officer,
        action="dossiers.counter_intake",
        obj=dossier,
        object_repr=dossier.code,
        agency_id=desk_agency.pk,
        after={
            "channel": channel,
            "scans": len(stored),
            "deciding": deciding_agency.code,
            "returned_at": return_agency.code if return_agency else desk_agency.code,
        },
    )
    reception.accept(dossier, officer=officer, now=now)
    return dossier


def _store_scan(dossier: Dossier, scan: Scan) -> Attachment:
    requirement = dossier.procedure_version.requirements.filter(pk=scan.requirement_id).first()
    if requirement is None:
        raise ValidationError(_("This document is not part of the procedure."))
    try:
        checked = uploads.check(
            scan.data, accepted=requirement.accepted_types or ["pdf", "jpg", "png"]
        )
    except uploads.UploadRejected as exc:
        raise ValidationError({"scans": [f"{requirement.name}: {exc}"]}) from exc
    attachment = Attachment(
        dossier=dossier,
        province_code=dossier.province_code,
        requirement=requirement,
        kind=Attachment.Kind.SUBMISSION,
        original_name=scan.name[:255],
        extension=checked.extension,
        mime=checked.mime,
        size=checked.size,
        sha256=hashlib.sha256(scan.data).hexdigest(),
    )
    files.save(attachment.file, f"scan.{checked.extension}", scan.data)
    attachment.save()
    return attachment


def _missing(version: ProcedureVersion, scanned: set[int]) -> list[str]:
    return [
        _("Scan “%(name)s”.") % {"name": requirement.name}
        for requirement in version.requirements.all()
        if requirement.mandatory
        and not requirement.registry
        and (requirement.originals or requirement.copies)
        and requirement.pk not in scanned
    ]
