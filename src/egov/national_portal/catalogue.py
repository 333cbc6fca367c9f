"""The pull of procedures from the national database (CSDL quốc gia về TTHC) through the portal
(``LayDanhSachTTHC``, ``LayThuTuc``).

A national procedure the catalogue lacks arrives as a draft with its national code, for an editor
to complete (workflow, e-form) and publish. A procedure whose national content differs from its
published version gets a draft of a new version with the national content and the differences
listed in its change note; the published version never changes here: an editor publishes.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from egov.catalog import content, services
from egov.catalog.models import Level, OnlineMode, Procedure, ProcedureVersion, TimeUnit
from egov.national_portal.client import PortalClient
from egov.organizations.models import Agency

ACTOR = "national portal"
LEVELS = {"TINH": Level.PROVINCE, "HUYEN": Level.DISTRICT, "XA": Level.COMMUNE}


@dataclass
class PullReport:
    created: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # code → differences
    unchanged: int = 0


def national_content(item: dict[str, Any]) -> dict[str, Any]:
    """What the national database says, in the catalogue's terms (catalog.content's keys)."""
    return {
        "name": item["TenTTHC"],
        "field": {"code": item["MaLinhVuc"], "name": item.get("TenLinhVuc") or item["MaLinhVuc"]},
        "level": LEVELS.get(item.get("CapThucHien", ""), Level.PROVINCE),
        "time_limit": Decimal(str(item.get("ThoiHanGiaiQuyet") or 0)),
        "legal_bases": list(item.get("CanCuPhapLy", [])),
        "results": list(item.get("KetQua", [])),
        "steps": list(item.get("TrinhTuThucHien", [])),
        "requirements": [
            {
                "name": paper["Ten"],
                "originals": int(paper.get("SoBanChinh", 1)),
                "copies": int(paper.get("SoBanSao", 0)),
            }
            for paper in item.get("ThanhPhanHoSo", [])
        ],
        "fees": [
            {"name": fee["Ten"], "kind": fee.get("Loai", "le_phi"), "amount": int(fee["MucPhi"])}
            for fee in item.get("PhiLePhi", [])
        ],
    }


def _ours(version: ProcedureVersion) -> dict[str, Any]:
    return {
        "name": version.name,
        "field": {"code": version.field.code, "name": version.field.name},
        "level": version.level,
        "time_limit": version.time_limit,
        "legal_bases": version.lines("legal_bases"),
        "results": version.lines("results"),
        "steps": version.lines("steps"),
        "requirements": [
            {"name": r.name, "originals": r.originals, "copies": r.copies}
            for r in version.requirements.order_by("position")
        ],
        "fees": [
            {"name": f.name, "kind": f.kind, "amount": f.amount}
            for f in version.fees.order_by("position")
        ],
    }


def _labels() -> dict[str, str]:
    return {
        "name": _("name"),
        "field": _("field"),
        "level": _("implementing level"),
        "time_limit": _("time limit"),
        "legal_bases": _("legal bases"),
        "results": _("results issued"),
        "steps": _("how to do it"),
        "requirements": _("papers to submit"),
        "fees": _("fees and charges"),
    }


def differences(version: ProcedureVersion, national: dict[str, Any]) -> list[str]:
    ours = _ours(version)
    if ours["field"]["code"] == national["field"]["code"]:
        national = {**national, "field": ours["field"]}  # our name of the field may differ
    return [label for key, label in _labels().items() if ours[key] != national[key]]


def _version_fields(national: dict[str, Any]) -> dict[str, Any]:
    fields = content.version_fields(
        {
            **national,
            "online_mode": OnlineMode.NONE,  # the editor decides how it is offered online
            "legacy_service_level": 2,
            "time_unit": TimeUnit.WORKING_DAYS,
            "time_limit": str(national["time_limit"]),
        }
    )
    for kept in ("deciding_agency", "receiving_agencies", "online_mode", "form_schema", "form_ui"):
        fields.pop(kept)
    fields.pop("legacy_service_level")
    fields.pop("payment_first")
    return fields


def _requirements(version: ProcedureVersion, rows: list[dict[str, Any]]) -> None:
    """The national papers, keeping our code (and settings) of a paper of the same name."""
    known = {r.name: r for r in version.requirements.all()}
    merged = []
    for row in rows:
        same = known.get(row["name"])
        merged.append(
            {
                **row,
                "code": same.code if same else "",
                "accepted_types": same.accepted_types if same else None,
                "mandatory": same.mandatory if same else True,
            }
        )
    content.replace_requirements(version, merged)


def _new_note() -> str:
    with translation.override("vi"):
        return _("New procedure from the national database.")


@transaction.atomic
def _create(code: str, national: dict[str, Any], owner: Agency) -> None:
    version = services.create_procedure(
        actor=ACTOR,
        code=code,
        owner_agency=owner,
        online_mode=OnlineMode.NONE,
        legacy_service_level=2,
        change_note=_new_note(),
        **_version_fields(national),
    )
    _requirements(version, national["requirements"])
    content.replace_fees(version, national["fees"])


@transaction.atomic
def _new_draft(procedure: Procedure, national: dict[str, Any], changed: list[str]) -> None:
    draft = services.start_draft(procedure, actor=ACTOR)
    with translation.override("vi"):  # the note is kept, for the province's editors
        note = _("From the national database, changed: %(list)s.") % {"list": ", ".join(changed)}
    services.update_draft(draft, actor=ACTOR, change_note=note[:500], **_version_fields(national))
    _requirements(draft, national["requirements"])
    content.replace_fees(draft, national["fees"])


def pull(owner: Agency, *, client: PortalClient | None = None) -> PullReport:
    """Brings the catalogue in line with the national database, as drafts only. ``owner`` is
    the agency whose catalogue editors receive the new procedures."""
    client = client or PortalClient()
    report = PullReport()
    for summary in client.procedure_list():
        code = summary["MaTTHC"]
        national = national_content(client.procedure(code))
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            _create(code, national, owner)
            report.created.append(code)
            continue
        published = (
            procedure.versions.filter(status=ProcedureVersion.Status.PUBLISHED)
            .order_by("-number")
            .first()
        )
        basis = published or procedure.versions.order_by("-number").first()
        with translation.override("vi"):
            changed = differences(basis, national) if basis else []
        if not changed:
            report.unchanged += 1
            continue
        _new_draft(procedure, national, changed)
        report.changed[code] = changed
    return report
