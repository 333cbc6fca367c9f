"""Papers the state already holds: at submission, with the citizen's consent, the portal asks
the shared registries — the national population database, the civil status database, the
business registration database, the land database — through the data sharing platform's
gateway (so each look-up is signed and logged), fills the e-form with what they answer and
marks the papers the catalogue says come from them as taken. A registry that cannot answer
leaves the dossier as it was and the paper to be uploaded instead."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.catalog.models import DocumentRequirement
from egov.core import audit
from egov.core.text import normalize_search_text
from egov.dossiers.models import Dossier, RegistryExtract
from egov.exchange.registries import base, business, civil_status, labels, land, population

Registry = DocumentRequirement.Registry

# E-form field → the registry's answer (its protocol's key, as in the record's facts()). Only
# fields the procedure's form has are filled.
FIELDS: dict[str, dict[str, str]] = {
    Registry.POPULATION: {
        "ho_ten": "ho_ten",
        "ho_va_ten": "ho_ten",
        "so_dinh_danh": "so_dinh_danh",
        "so_dinh_danh_ca_nhan": "so_dinh_danh",
        "so_cccd": "so_dinh_danh",
        "gioi_tinh": "gioi_tinh",
        "quoc_tich": "quoc_tich",
        "que_quan": "que_quan",
        "noi_thuong_tru": "noi_thuong_tru",
        "dia_chi_thuong_tru": "noi_thuong_tru",
    },
    Registry.CIVIL_STATUS: {
        "ho_ten": "ho_ten",
        "ho_va_ten": "ho_ten",
        "so_dinh_danh": "so_dinh_danh",
        "gioi_tinh": "gioi_tinh",
        "noi_sinh": "noi_sinh",
        "dan_toc": "dan_toc",
        "quoc_tich": "quoc_tich",
        "ho_ten_cha": "ho_ten_cha",
        "ho_ten_me": "ho_ten_me",
        "ho_ten_chong": "ho_ten_chong",
        "so_dinh_danh_chong": "so_dinh_danh_chong",
        "ho_ten_vo": "ho_ten_vo",
        "so_dinh_danh_vo": "so_dinh_danh_vo",
        "ngay_dang_ky_ket_hon": "ngay_dang_ky_ket_hon",
        "noi_dang_ky_ket_hon": "noi_dang_ky_ket_hon",
    },
    Registry.BUSINESS: {
        "ma_so_doanh_nghiep": "ma_so_doanh_nghiep",
        "ma_so_thue": "ma_so_doanh_nghiep",
        "ten_doanh_nghiep": "ten_doanh_nghiep",
        "ten_viet_tat": "ten_viet_tat",
        "loai_hinh_doanh_nghiep": "loai_hinh",
        "ngay_dang_ky_lan_dau": "ngay_dang_ky_lan_dau",
        "dia_chi_tru_so": "dia_chi_tru_so",
        "nguoi_dai_dien": "nguoi_dai_dien",
        "nguoi_dai_dien_theo_phap_luat": "nguoi_dai_dien",
        "chuc_danh_nguoi_dai_dien": "chuc_danh_nguoi_dai_dien",
        "von_dieu_le": "von_dieu_le",
        "nganh_nghe_chinh": "nganh_nghe_chinh",
    },
    Registry.LAND: {
        "so_to": "so_to",
        "so_to_ban_do": "so_to",
        "so_thua": "so_thua",
        "so_thua_dat": "so_thua",
        "dia_chi_thua_dat": "dia_chi",
        "dien_tich": "dien_tich",
        "muc_dich_su_dung": "muc_dich_su_dung",
        "thoi_han_su_dung": "thoi_han_su_dung",
        "nguon_goc_su_dung": "nguon_goc",
        "so_giay_chung_nhan": "so_giay_chung_nhan",
        "ngay_cap_giay_chung_nhan": "ngay_cap_giay_chung_nhan",
    },
}
# As in egov.portal.prefill: a date of birth is the applicant's only where the form asks for the
# applicant's own name too.
WITH_OWN_NAME: dict[str, dict[str, str]] = {
    Registry.POPULATION: {"ngay_sinh": "ngay_sinh"},
    Registry.CIVIL_STATUS: {"ngay_sinh": "ngay_sinh"},
}
# Where the look-up's key is prefilled from the declaration (first field the answers have).
KEY_FIELDS = {
    "enterprise_code": ("ma_so_doanh_nghiep", "ma_so_thue"),
    "certificate": ("so_giay_chung_nhan",),
    "sheet": ("so_to_ban_do", "so_to"),
    "parcel_number": ("so_thua", "so_thua_dat"),
}


@dataclass(frozen=True)
class Source:
    registry: str
    setting: str
    adapter: type[base.GatewayRegistry]
    needs: str  # what the look-up is keyed on: "person", "enterprise" or "parcel"


SOURCES: dict[str, Source] = {
    Registry.POPULATION: Source(
        Registry.POPULATION, "EGOV_POPULATION_REGISTRY", population.PopulationRegistry, "person"
    ),
    Registry.CIVIL_STATUS: Source(
        Registry.CIVIL_STATUS,
        "EGOV_CIVIL_STATUS_REGISTRY",
        civil_status.CivilStatusRegistry,
        "person",
    ),
    Registry.BUSINESS: Source(
        Registry.BUSINESS, "EGOV_BUSINESS_REGISTRY", business.BusinessRegistry, "enterprise"
    ),
    Registry.LAND: Source(Registry.LAND, "EGOV_LAND_REGISTRY", land.LandRegistry, "parcel"),
}


def configured(registry: str = Registry.POPULATION) -> bool:
    """Whether the one-stop system may ask this registry at all (else no box is offered)."""
    source = SOURCES.get(registry)
    return bool(source and getattr(settings, source.setting, None))


def client(registry: str) -> base.GatewayRegistry | None:
    """The one-stop system's client of the registry, from its setting (a JSON object: gateway
    address, service and client codes, certificate fingerprint, key file; docs/exchange.md).
    None when not configured: then nothing is asked and the papers are uploaded."""
    source = SOURCES[registry]
    conf = getattr(settings, source.setting, None)
    if not conf:
        return None
    with open(conf["key_file"], "rb") as handle:
        key = serialization.load_pem_private_key(handle.read(), password=None)
    return source.adapter(
        http=httpx.Client(base_url=conf["gateway_url"], timeout=conf.get("timeout", 10)),
        service_code=conf["service"],
        client_code=conf["client"],
        fingerprint=conf["fingerprint"],
        key=key,  # type: ignore[arg-type]
    )


def papers_from(dossier: Dossier, registry: str) -> list[DocumentRequirement]:
    return list(dossier.procedure_version.requirements.filter(registry=registry))


def population_papers(dossier: Dossier) -> list[DocumentRequirement]:
    return papers_from(dossier, Registry.POPULATION)


def offered(dossier: Dossier) -> dict[str, list[DocumentRequirement]]:
    """registry → its papers in this procedure, for the registries the system may ask."""
    papers: dict[str, list[DocumentRequirement]] = {}
    for paper in dossier.procedure_version.requirements.exclude(registry=""):
        if configured(paper.registry):
            papers.setdefault(paper.registry, []).append(paper)
    return papers


def latest(dossier: Dossier) -> dict[int, RegistryExtract]:
    """The newest extract of each paper."""
    newest: dict[int, RegistryExtract] = {}
    for extract in dossier.registry_extracts.all():
        newest.setdefault(extract.requirement_id, extract)
    return newest


def key_defaults(dossier: Dossier) -> dict[str, Any]:
    """The business and land look-ups' keys, from what the declaration already holds."""
    answers = dossier.form_data or {}
    return {
        key: next((answers[f] for f in fields if answers.get(f) not in (None, "")), "")
        for key, fields in KEY_FIELDS.items()
    }


def _coerce(value: Any, spec: dict) -> Any:
    """A registry's answer in the type the e-form field holds (None: leave the field as it is)."""
    kind = spec.get("type")
    try:
        if kind == "number":
            return float(value)
        if kind == "integer":
            return int(float(value))
    except (TypeError, ValueError):
        return None
    if kind not in (None, "string"):
        return None
    if isinstance(spec.get("enum"), list):
        # "nu" answers the choice "Nữ": compared without accents or case.
        wanted = normalize_search_text(str(value))
        return next((c for c in spec["enum"] if normalize_search_text(str(c)) == wanted), None)
    return str(value)


def answers_from(registry: str, facts: dict[str, Any], schema: dict) -> dict[str, Any]:
    fields = schema.get("properties", {})
    mapping = dict(FIELDS.get(registry, {}))
    if "ho_ten" in fields:
        mapping.update(WITH_OWN_NAME.get(registry, {}))
    answers = {}
    for name, key in mapping.items():
        if name in fields and facts.get(key) not in (None, ""):
            value = _coerce(facts[key], fields[name])
            if value is not None:
                answers[name] = value
    return answers


def is_marriage_paper(paper: DocumentRequirement) -> bool:
    """A civil status paper is the marriage record when the catalogue says so
    (``civil_status_record``); a catalogue that does not say falls back on the paper's name
    (giấy chứng nhận kết hôn, trích lục kết hôn); else the birth record."""
    if paper.civil_status_record:
        return paper.civil_status_record == DocumentRequirement.CivilStatusRecord.MARRIAGE
    text = f"{paper.name} {paper.code}".lower()
    return "kết hôn" in text or "ket-hon" in text or "ket_hon" in text


@dataclass
class Asked:
    """One look-up: the papers it serves, what came back (facts, None when not found) and the
    message log record."""

    papers: list[DocumentRequirement]
    outcome: str = RegistryExtract.Outcome.UNAVAILABLE
    facts: dict[str, Any] = field(default_factory=dict)
    message_id: str = ""


def _ask(lookup: Callable[[], Any], papers: list[DocumentRequirement]) -> Asked:
    asked = Asked(papers)
    try:
        record = lookup()
    except (base.RegistryUnavailable, base.RegistryInputError):
        return asked
    if record is None:
        asked.outcome = RegistryExtract.Outcome.NOT_FOUND
    else:
        asked.outcome = RegistryExtract.Outcome.TAKEN
        asked.facts = record.facts()
        asked.message_id = record.message_id
    return asked


def _personal_id(applicant) -> str:
    personal_id = (applicant.citizen_id or "").strip()
    if not personal_id:
        raise ValidationError(_("Add your personal identification number to your details first."))
    return personal_id


def _lookups(
    registry: str, reg: Any, papers: list, applicant, consent_ref: str, keys: dict[str, Any]
) -> list[tuple[Callable[[], Any], list]]:
    """(look-up, the papers it serves) for one registry; raises ValidationError for a key the
    citizen must give first (nothing is sent then)."""
    if registry == Registry.POPULATION:
        personal_id = _personal_id(applicant)
        return [(lambda: reg.lookup(personal_id, consent=consent_ref), papers)]
    if registry == Registry.CIVIL_STATUS:
        personal_id = _personal_id(applicant)
        marriage = [p for p in papers if is_marriage_paper(p)]
        birth = [p for p in papers if not is_marriage_paper(p)]
        calls: list[tuple[Callable[[], Any], list]] = []
        if birth:
            calls.append((lambda: reg.birth(personal_id, consent=consent_ref), birth))
        if marriage:
            calls.append((lambda: reg.marriage(personal_id, consent=consent_ref), marriage))
        return calls
    try:
        if registry == Registry.BUSINESS:
            code = business.checked_code(str(keys.get("enterprise_code") or ""))
            return [(lambda: reg.lookup(code), papers)]
        commune = keys.get("commune")
        place: dict[str, Any] = {
            "certificate": str(keys.get("certificate") or ""),
            "commune": str(getattr(commune, "code", commune) or ""),
            "sheet": keys.get("sheet"),
            "number": keys.get("parcel_number"),
        }
        land.checked_key(**place)
    except base.RegistryInputError as exc:
        raise ValidationError(exc.message) from exc
    subject = (applicant.citizen_id or "").strip()
    return [(lambda: reg.lookup(**place, consent=consent_ref, subject=subject), papers)]


def take(
    dossier: Dossier,
    *,
    applicant,
    registry: str,
    consent: bool,
    keys: dict[str, Any] | None = None,
) -> str:
    """Asks ``registry`` for the dossier's papers that come from it; returns the outcome
    (RegistryExtract.Outcome: taken when every look-up gave its record). ``keys`` are what a
    business or land look-up is keyed on (enterprise_code; certificate, or commune, sheet and
    parcel_number). Raises ValidationError for what the citizen must fix first."""
    if not consent:
        raise ValidationError(_("Tick the box to agree that the registry is asked for you."))
    if not dossier.is_draft:
        raise ValidationError(_("This dossier was already submitted and cannot be changed."))
    papers = papers_from(dossier, registry) if registry in SOURCES else []
    if not papers:
        raise ValidationError(_("No paper of this procedure comes from this registry."))
    consent_ref = f"DY-{uuid.uuid4().hex[:16]}"
    reg = client(registry)
    calls = _lookups(registry, reg, papers, applicant, consent_ref, keys or {})
    # The network calls stay outside the transaction: a slow registry holds no lock. A registry
    # the system may not ask (not configured) counts as unavailable: the papers are uploaded.
    if reg is None:
        results = [Asked(served) for _lookup, served in calls]
    else:
        results = [_ask(lookup, served) for lookup, served in calls]
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk, applicant=applicant)
        if not locked.is_draft:
            raise ValidationError(_("This dossier was already submitted and cannot be changed."))
        filled: dict[str, Any] = {}
        for asked in results:
            filled.update(answers_from(registry, asked.facts, locked.procedure_version.form_schema))
        if filled:
            locked.form_data = {**locked.form_data, **filled}
            locked.revision += 1
            locked.save(update_fields=["form_data", "revision", "updated_at"])
        now = timezone.now()
        for asked in results:
            for paper in asked.papers:
                RegistryExtract.objects.create(
                    dossier=locked,
                    requirement=paper,
                    registry=registry,
                    outcome=asked.outcome,
                    data=asked.facts,
                    consent_ref=consent_ref,
                    message_id=asked.message_id,
                    asked_at=now,
                )
        outcome = _overall(results)
        audit.record(
            actor=applicant,
            action="dossiers.registry_asked",
            obj=locked,
            agency_id=locked.receiving_agency_id,
            after={
                "registry": registry,
                "outcome": outcome,
                "consent": consent_ref,
                "message_id": ",".join(a.message_id for a in results if a.message_id),
                "fields": sorted(filled),
            },
        )
    return outcome


def _overall(results: list[Asked]) -> str:
    outcomes = {asked.outcome for asked in results}
    if outcomes == {RegistryExtract.Outcome.TAKEN}:
        return RegistryExtract.Outcome.TAKEN
    if RegistryExtract.Outcome.UNAVAILABLE in outcomes:
        return RegistryExtract.Outcome.UNAVAILABLE
    return RegistryExtract.Outcome.NOT_FOUND


def take_from_population(dossier: Dossier, *, applicant, consent: bool) -> str:
    return take(dossier, applicant=applicant, registry=Registry.POPULATION, consent=consent)


def extract_rows(extract: RegistryExtract, schema: dict | None = None) -> list[tuple[str, str]]:
    """What the registry returned for the desk: (label, value) of each answer."""
    fields = (schema or {}).get("properties", {})
    names = {name: str(spec.get("title") or name) for name, spec in fields.items()}
    return labels.fact_rows(extract.data or {}, names)
