"""Operations on dossiers: the only code that changes them. Each runs in one transaction and
writes the audit trail and, where the citizen should see it, the dossier's history."""

import datetime
import hashlib
import math

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.catalog import eforms, fees
from egov.catalog.models import Level, ProcedureVersion, TimeUnit
from egov.catalog.search import current_versions
from egov.core import audit, calendar, files, uploads
from egov.core.text import normalize_search_text
from egov.dossiers import return_desks, signals, transitions
from egov.dossiers.models import Attachment, Channel, DailySequence, Dossier, RegistryExtract
from egov.organizations.models import AdministrativeUnit, Agency


def receiving_agency_for(version: ProcedureVersion, commune: AdministrativeUnit | None = None):
    """Where a dossier for ``version`` is received: the commune's People's Committee for
    commune-level procedures, otherwise the first receiving (or the deciding) agency."""
    if version.level == Level.COMMUNE and version.deciding_agency_id is None:
        if commune is None:
            return None
        return (
            Agency.objects.as_of(timezone.localdate())
            .filter(unit=commune, kind=Agency.Kind.PEOPLES_COMMITTEE)
            .first()
        )
    return version.receiving_agencies.order_by("code").first() or version.deciding_agency


class IdempotencyConflict(ValidationError):
    """An idempotency key already used for a request with another body."""


def start(
    *,
    applicant,
    version: ProcedureVersion,
    agency: Agency,
    idempotency_key: str = "",
    fingerprint: str = "",
    answers: dict | None = None,
    result_delivery: str = Channel.ONLINE,
    delivery_address: str = "",
    return_agency: Agency | None = None,
):
    """A draft dossier, with its first answers and delivery choice when given (one write
    instead of three); the same idempotency key returns the same draft, unchanged."""
    return start_once(
        applicant=applicant,
        version=version,
        agency=agency,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
        answers=answers,
        result_delivery=result_delivery,
        delivery_address=delivery_address,
        return_agency=return_agency,
    )[0]


@transaction.atomic
def start_once(
    *,
    applicant,
    version: ProcedureVersion,
    agency: Agency,
    idempotency_key: str = "",
    fingerprint: str = "",
    answers: dict | None = None,
    result_delivery: str = Channel.ONLINE,
    delivery_address: str = "",
    return_agency: Agency | None = None,
) -> tuple[Dossier, bool]:
    """:func:`start`, and whether this call created the draft. With an idempotency key, many
    identical requests at once make one draft and exactly one of them is told it created it;
    the key with another request (``fingerprint``: a digest of what was asked) is refused, as
    payment APIs do, instead of silently answering with the first draft."""
    if idempotency_key:
        existing = Dossier.objects.filter(
            applicant=applicant, idempotency_key=idempotency_key
        ).first()
        if existing:
            return _same_request(existing, fingerprint), False
    if not version.offered_online:
        raise ValidationError(
            _("This procedure is not offered online: hand the dossier in at the one-stop desk.")
        )
    if answers is not None:
        _check_answers(answers)
    _check_delivery(result_delivery, delivery_address)
    chosen_desk = return_desks.choose(agency, return_agency, result_delivery)
    dossier = Dossier(
        procedure=version.procedure,
        procedure_version=version,
        receiving_agency=agency,
        applicant=applicant,
        idempotency_key=idempotency_key,
        idempotency_fingerprint=fingerprint or None,
        form_data=answers or {},
        revision=0 if answers is None else 1,
        result_delivery=result_delivery,
        delivery_address=delivery_address.strip() if result_delivery == Channel.POST else "",
        return_agency=chosen_desk,
    )
    try:
        with transaction.atomic():
            dossier.save()
    except IntegrityError:
        # A concurrent request with the same key won the race: answer with its dossier.
        existing = Dossier.objects.get(applicant=applicant, idempotency_key=idempotency_key)
        return _same_request(existing, fingerprint), False
    transitions.record(applicant, "dossiers.draft_started", dossier)
    return dossier, True


def _same_request(existing: Dossier, fingerprint: str) -> Dossier:
    if fingerprint and existing.idempotency_fingerprint not in (None, fingerprint):
        raise IdempotencyConflict(
            _(
                "This Idempotency-Key was already used for a different request. Send the same "
                "request again to get its dossier, or use a new key for a new dossier."
            ),
            code="idempotency_conflict",
        )
    return existing


def _locked_with_version(dossier: Dossier, applicant) -> Dossier:
    """The applicant's dossier, locked, with what the citizen's calls read of it in one query
    (only the dossier's row is locked, not the procedure's or the agency's)."""
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "procedure_version", "receiving_agency")
        .get(pk=dossier.pk, applicant=applicant)
    )


def _editable(dossier: Dossier, applicant) -> Dossier:
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk, applicant=applicant)
    if not locked.is_draft:
        raise ValidationError(_("This dossier was already submitted and cannot be changed."))
    return locked


def _has_control_characters(value) -> bool:
    if isinstance(value, str):
        return any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value)
    if isinstance(value, dict):
        return any(
            _has_control_characters(k) or _has_control_characters(v) for k, v in value.items()
        )
    if isinstance(value, list):
        return any(_has_control_characters(v) for v in value)
    return False


def _not_a_number(value) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_not_a_number(v) for v in value.values())
    if isinstance(value, list):
        return any(_not_a_number(v) for v in value)
    return False


def _check_answers(answers: dict) -> None:
    if _has_control_characters(answers):
        raise ValidationError(
            _("The answers contain invisible control characters; type them again.")
        )
    if _not_a_number(answers):
        # JSON parsers take NaN and Infinity; nothing can be computed from them or stored.
        raise ValidationError(_("The answers contain a number that is not finite (NaN, Infinity)."))


def _check_delivery(result_delivery: str, address: str) -> None:
    if result_delivery not in Channel.values:
        raise ValidationError(_("Choose how to receive the result."))
    if result_delivery == Channel.POST and not address.strip():
        raise ValidationError(_("Give the postal address where the result should be sent."))


@transaction.atomic
def save_answers(dossier: Dossier, *, applicant, answers: dict) -> dict[str, list[str]]:
    """Stores the e-form answers; returns the field errors (saved anyway, as a draft)."""
    dossier = _editable(dossier, applicant)
    _check_answers(answers)
    dossier.form_data = answers
    dossier.revision += 1
    dossier.save(update_fields=["form_data", "revision", "updated_at"])
    return eforms.validate_data(dossier.procedure_version.form_schema, answers)


@transaction.atomic
def attach(dossier: Dossier, *, applicant, requirement_id: int, name: str, data: bytes):
    """Checks the file (size, real type, malware) before anything is stored."""
    dossier = _locked_with_version(dossier, applicant)
    if dossier.is_draft:
        kind = Attachment.Kind.SUBMISSION
    elif dossier.status == Dossier.Status.SUPPLEMENT_REQUESTED:
        kind = Attachment.Kind.SUPPLEMENT
    else:
        raise ValidationError(_("This dossier was already submitted and cannot be changed."))
    requirement = dossier.procedure_version.requirements.filter(pk=requirement_id).first()
    if requirement is None:
        raise ValidationError(_("This document is not part of the procedure."))
    checked = uploads.check(data, accepted=requirement.accepted_types or ["pdf", "jpg", "png"])
    attachment = Attachment(
        dossier=dossier,
        province_code=dossier.province_code,
        requirement=requirement,
        kind=kind,
        original_name=name[:255],
        extension=checked.extension,
        mime=checked.mime,
        size=checked.size,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    # Nothing of a failed upload stays behind: the file follows the transaction.
    files.save(attachment.file, f"file.{checked.extension}", data)
    attachment.save()
    audit.record(
        actor=applicant,
        action="dossiers.attachment_added",
        obj=dossier,
        agency_id=dossier.receiving_agency_id,
        after={
            "requirement": requirement.pk,
            "sha256": attachment.sha256,
            "size": attachment.size,
            "type": attachment.extension,
        },
    )
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, *, applicant) -> None:
    dossier = _editable(attachment.dossier, applicant)
    stored = attachment.file.name
    audit.record(
        actor=applicant,
        action="dossiers.attachment_removed",
        obj=dossier,
        agency_id=dossier.receiving_agency_id,
        before={"sha256": attachment.sha256},
    )
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))


@transaction.atomic
def set_delivery(
    dossier: Dossier,
    *,
    applicant,
    result_delivery: str,
    address: str = "",
    return_agency: Agency | None = None,
):
    """How the result comes back; at a desk, the applicant may choose another Public
    Administration Service Centre of the province than the receiving desk (ND 118/2025)."""
    dossier = _editable(dossier, applicant)
    _check_delivery(result_delivery, address)
    dossier.result_delivery = result_delivery
    dossier.delivery_address = address.strip() if result_delivery == Channel.POST else ""
    dossier.return_agency = return_desks.choose(
        dossier.receiving_agency, return_agency, result_delivery
    )
    dossier.save(
        update_fields=["result_delivery", "delivery_address", "return_agency", "updated_at"]
    )
    return dossier


def missing_items(dossier: Dossier, attached: set[int] | None = None) -> list[str]:
    """What still stops the dossier from being submitted, in words the citizen acts on.

    ``attached``: the requirements the dossier has files for, when the caller knows them."""
    problems = []
    version = dossier.procedure_version
    errors = eforms.validate_data(version.form_schema, dossier.form_data)
    titles = {
        name: spec.get("title", name) for name, spec in version.form_schema["properties"].items()
    }
    for name, messages in errors.items():
        if name in titles:
            problems.append(
                _("Correct “%(field)s” in the declaration form: %(problem)s")
                % {"field": titles[name], "problem": " ".join(messages)}
            )
        else:
            problems.append(_("Complete the declaration form: some answers are missing or wrong."))
    if not errors:
        try:
            fees.compute(version.fees.all(), dossier.form_data, version.form_schema)
        except fees.FeeAnswerError as exc:
            problems.extend(exc.messages)
    for requirement in papers_to_attach(dossier, attached):
        problems.append(_("Attach “%(name)s”.") % {"name": requirement.name})
    if dossier.result_delivery == Channel.POST and not dossier.delivery_address:
        problems.append(_("Give the postal address where the result should be sent."))
    return problems


def provided_by_eform(dossier: Dossier) -> list:
    """The papers the filled e-form stands for (the declaration), without a file of their own."""
    if not dossier.form_data:
        return []
    attached = set(dossier.attachments.values_list("requirement_id", flat=True))
    return [
        requirement
        for requirement in dossier.procedure_version.requirements.filter(filled_by_eform=True)
        if requirement.pk not in attached
    ]


def papers_to_attach(dossier: Dossier, attached: set[int] | None = None) -> list:
    """The mandatory papers the citizen has not attached yet (those the agency takes from a
    shared registry, the declaration that the filled e-form stands for, or that ask for no paper
    at all, are not asked for)."""
    if attached is None:
        attached = set(dossier.attachments.values_list("requirement_id", flat=True))
    # A registry that could not give a paper: the citizen was told to upload it instead.
    asked = set(dossier.registry_extracts.values_list("requirement_id", flat=True))
    upload_instead = asked - taken_from_registry(dossier) if asked else set()
    return [
        requirement
        for requirement in dossier.procedure_version.requirements.filter(mandatory=True)
        if not (
            (requirement.registry and requirement.pk not in upload_instead)
            or requirement.filled_by_eform
            or (requirement.originals == 0 and requirement.copies == 0)
        )
        and requirement.pk not in attached
    ]


def taken_from_registry(dossier: Dossier) -> set[int]:
    """The papers whose newest registry extract gave the data (nothing to upload for them)."""
    newest: dict[int, str] = {}
    for extract in dossier.registry_extracts.order_by("-asked_at", "-id"):
        newest.setdefault(extract.requirement_id, extract.outcome)
    return {pk for pk, outcome in newest.items() if outcome == RegistryExtract.Outcome.TAKEN}


def next_code(agency: Agency, day: datetime.date) -> str:
    """AGENCYCODE-YYMMDD-NNNN, numbered per agency and day without gaps.

    Runs inside the submission's transaction: the row lock serialises concurrent submissions
    to one agency, and a rolled-back submission rolls its number back too.
    """
    sequence, _created = DailySequence.objects.select_for_update().get_or_create(
        agency=agency, day=day
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{agency.code}-{day:%y%m%d}-{sequence.last:04d}"


def set_applicant_name(dossier: Dossier, name: str) -> None:
    dossier.applicant_name = name[:200]
    dossier.applicant_search = normalize_search_text(name)[:200]


def due_at(version: ProcedureVersion, received: datetime.datetime) -> datetime.datetime:
    if version.time_unit == TimeUnit.WORKING_HOURS:
        return calendar.add_working_time(received, hours=version.time_limit)
    return calendar.add_working_time(received, days=version.time_limit)


@transaction.atomic
def submit(dossier: Dossier, *, applicant, identity_level: int | None = None) -> Dossier:
    """Submits a complete draft; submitting again (a double click) changes nothing.

    ``identity_level`` is the VNeID level of the sign-in behind the request (the session's);
    None takes the level of the applicant's latest single sign-on (API tokens)."""
    dossier = _locked_with_version(dossier, applicant)
    if not dossier.is_draft:
        return dossier
    problems = missing_items(dossier)
    if problems:
        raise ValidationError(problems)
    if not current_versions().filter(pk=dossier.procedure_version_id).exists():
        # The procedure changed since the draft began: the dossier follows today's version.
        newer = current_versions().filter(procedure=dossier.procedure).first()
        if newer is None:
            raise ValidationError(_("This procedure is no longer offered online."))
        dossier.procedure_version = newer
    level = applicant.identity_level if identity_level is None else identity_level
    if dossier.procedure_version.requires_identity_level_2 and level < 2:
        raise ValidationError(
            _(
                "This procedure requires a level-2 electronic identity. Sign in with a "
                "level-2 VNeID account, then submit the dossier again."
            )
        )
    now = timezone.now()
    dossier.code = next_code(dossier.receiving_agency, timezone.localdate(now))
    set_applicant_name(dossier, str(applicant))
    dossier.submitted_at = now
    dossier.due_at = due_at(dossier.procedure_version, now)
    transitions.apply(dossier, "submit", actor=applicant, to=Dossier.Status.SUBMITTED)
    signals.dossier_submitted.send(Dossier, dossier=dossier)
    return dossier


@transaction.atomic
def withdraw(dossier: Dossier, *, applicant, reason: str) -> Dossier:
    """The citizen takes the dossier back before a result is issued (rút hồ sơ)."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk, applicant=applicant)
    if dossier.status == Dossier.Status.WITHDRAWN:
        return dossier
    if not transitions.allowed(dossier, "withdraw"):
        raise ValidationError(
            _(
                "This dossier can no longer be withdrawn: its result was "
                "already issued or it was closed."
            )
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why you withdraw the dossier."))
    before = audit.snapshot(dossier, transitions.AUDIT_FIELDS)
    # Imported here: processing builds on this module's helpers.
    from egov.dossiers import processing

    processing.close_on_withdrawal(dossier, applicant=applicant, reason=reason, now=timezone.now())
    transitions.apply(
        dossier,
        "withdraw",
        actor=applicant,
        to=Dossier.Status.WITHDRAWN,
        note=reason[:500],
        before=before,
    )
    signals.dossier_withdrawn.send(Dossier, dossier=dossier, reason=reason)
    return dossier


def may_withdraw(dossier: Dossier) -> bool:
    return transitions.allowed(dossier, "withdraw")


def visible_to(applicant):
    """A citizen's own dossiers, and nobody else's."""
    return Dossier.objects.filter(applicant=applicant)
