"""The bodies of the portal's two dossier calls, built from our records.

Dates are written as the portal reads them: ``yyyyMMddHHmmss`` in Vietnam's time. Names and
labels go in Vietnamese whatever the language of the person whose action made the change.
"""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from egov.dossiers.models import Attachment, Channel, Dossier, DossierStep
from egov.dossiers.transitions import TABLE

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# KenhThucHien: how the dossier came in; HinhThucTra: how the result goes back.
CHANNELS = {Channel.DESK: 1, Channel.ONLINE: 2, Channel.POST: 3}
RESULT_DELIVERY = {Channel.DESK: 0, Channel.ONLINE: 2, Channel.POST: 1}
SUBMITTED_PAPERS = (Attachment.Kind.SUBMISSION, Attachment.Kind.SUPPLEMENT)


def portal_time(moment: datetime.datetime | None) -> str:
    return "" if moment is None else timezone.localtime(moment, VIETNAM).strftime("%Y%m%d%H%M%S")


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.full_name or user.get_username())


def _fees(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        {
            "MaPhiLePhi": str(fee.pk),
            "TenPhiLePhi": fee.name,
            "LoaiPhiLePhi": 1 if fee.kind == "phi" else 2,
            "Gia": fee.amount,
            "HinhThucThu": CHANNELS[Channel(dossier.channel)],
        }
        for fee in dossier.procedure_version.fees.order_by("position", "id")
    ]


def _papers(dossier: Dossier) -> list[dict[str, Any]]:
    attachments = dossier.attachments.filter(kind__in=SUBMITTED_PAPERS).select_related(
        "requirement"
    )
    return [
        {
            "TepDinhKemId": str(attachment.pk),
            "TenTepDinhKem": attachment.original_name,
            "MaThanhPhanHoSo": attachment.requirement.code if attachment.requirement else "",
            "TenThanhPhanHoSo": attachment.requirement.name if attachment.requirement else "",
            "IsDeleted": False,
            "MaKiemTra": attachment.sha256,
        }
        for attachment in attachments
    ]


def _supplements(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        {
            "HoSoBoSungId": str(request.pk),
            "NguoiYeuCauBoSung": _person(request.requested_by),
            "NoiDungBoSung": "; ".join(str(item) for item in request.items),
            "GhiChu": request.note,
            "NgayBoSung": portal_time(request.requested_at),
            "NgayTiepNhanBoSung": portal_time(request.answered_at),
        }
        for request in dossier.supplements.select_related("requested_by").order_by("requested_at")
    ]


def _extensions(dossier: Dossier) -> list[dict[str, Any]]:
    letter = getattr(dossier, "apology", None)
    if letter is None:
        return []
    return [
        {
            "NgayHenTraCu": portal_time(letter.previous_due_at),
            "NgayHenTraMoi": portal_time(letter.new_due_at),
            "LyDo": letter.reason,
            "NguoiGiaHan": _person(letter.issued_by),
        }
    ]


def dossier_record(dossier: Dossier, portal_code: int) -> dict[str, Any]:
    """DongBoHoSoMC: the dossier as the portal keeps it (sent again whole on each update)."""
    version = dossier.procedure_version
    applicant = dossier.applicant
    deciding = dossier.deciding_agency or version.deciding_agency or dossier.receiving_agency
    with translation.override("vi"):
        return {
            "MaHoSo": dossier.code,
            "MaTTHC": dossier.procedure.code,
            "TenTTHC": version.name,
            "MaLinhVuc": version.field.code,
            "TenLinhVuc": version.field.name,
            "KenhThucHien": CHANNELS[Channel(dossier.channel)],
            "ChuHoSo": dossier.applicant_name or _person(applicant),
            "LoaiDoiTuong": "1",  # a person (công dân): the platform has no business accounts yet
            "MaDoiTuong": applicant.citizen_id or "",
            "Email": applicant.email or "",
            "SoDienThoai": applicant.phone or "",
            "DiaChi": dossier.delivery_address or applicant.address,
            "TrichYeuHoSo": f"{version.name} — {dossier.applicant_name or _person(applicant)}",
            "NgayNopHoSo": portal_time(dossier.submitted_at),
            "NgayTiepNhan": portal_time(dossier.received_at),
            "NgayHenTra": portal_time(dossier.due_at),
            "NgayKetThucXuLy": portal_time(dossier.decided_at),
            "NgayTra": portal_time(dossier.returned_at),
            "TrangThaiHoSo": str(portal_code),  # text, as OpenCPS sends it
            "HinhThucTra": RESULT_DELIVERY[Channel(dossier.result_delivery)],
            "DonViTiepNhan": dossier.receiving_agency.name,
            "MaDonViTiepNhan": dossier.receiving_agency.code,
            "DonViXuLy": deciding.name,
            "MaDonViXuLy": deciding.code,
            "DanhSachLePhi": _fees(dossier),
            "TaiLieuNop": _papers(dossier),
            "DanhSachHoSoBoSung": _supplements(dossier),
            "DanhSachGiaHan": _extensions(dossier),
        }


def progress(dossier: Dossier, portal_code: int, transition: str) -> dict[str, Any]:
    """CapNhatTienDoHoSoMC: one step of the processing, as the control sheet (form 05) has it:
    who finished what, and the step the dossier is now at with its start and due dates."""
    steps = DossierStep.objects.filter(dossier=dossier).select_related(
        "finished_by", "agency", "step"
    )
    done = steps.filter(finished_at__isnull=False).order_by("-finished_at", "-id").first()
    current = steps.filter(finished_at__isnull=True).order_by("-started_at", "-id").first()
    with translation.override("vi"):
        what = str(TABLE[transition].label) if transition in TABLE else ""
        when: datetime.datetime | None
        if transition == "withdraw" or done is None:
            who, title, department = _person(dossier.applicant), "Người nộp hồ sơ", ""
            when, note = timezone.now(), ""
        else:
            who, title = _person(done.finished_by), str(done.get_role_display())
            department, when, note = done.agency.name, done.finished_at, done.note
        return {
            "MaHoSo": dossier.code,
            "NguoiXuLy": who,
            "ChucDanh": title,
            "ThoiDiemXuLy": portal_time(when),
            "PhongBanXuLy": department,
            "NoiDungXuLy": f"{what}: {note}" if note else what,
            "TrangThai": str(portal_code),
            "NgayBatDau": portal_time(current.started_at if current else None),
            "NgayKetThucTheoQuyDinh": portal_time(current.due_at if current else None),
            "BuocHienTai": current.step.name if current else "",
        }
