"""The land database (Cơ sở dữ liệu đất đai) as a shared registry: land parcels (thửa đất).

The platform's interface, which the provider side adapts to: ``POST /dat-dai/thua-dat/tra-cuu``
with either the parcel's place on the cadastral map — ``{"ma_xa", "so_to", "so_thua"}``: the
commune's statistics code, the map sheet number (số tờ bản đồ) and the parcel number (số thửa)
— or ``{"so_giay_chung_nhan"}``, the issue number of its certificate of land use rights
(số phát hành giấy chứng nhận, ``DA 123456``), and ``"ma_dong_y"``, the reference of the land
user's consent (the answer names them). Answers the parcel's address, area, use, term, origin,
users and certificate; 404 for no such parcel, 403 without consent, 400 without a key.
``serve_land_registry`` runs a local provider with demo data (``land_demo.json``).
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIServer

from django.utils.translation import gettext as _

from egov.exchange.registries import base
from egov.exchange.registries.base import RegistryInputError, RegistryUnavailable

__all__ = ["LandRegistry", "Parcel", "RegistryUnavailable", "checked_key", "normalise_certificate"]

DEMO_DATA = Path(__file__).with_name("land_demo.json")
LOOKUP_PATH = "dat-dai/thua-dat/tra-cuu"
OPENAPI = base.openapi(
    "Cơ sở dữ liệu đất đai — tra cứu thửa đất", {LOOKUP_PATH: "Thông tin thửa đất"}
)
COMMUNE = re.compile(r"^\d{5}$")


def normalise_certificate(number: str) -> str:
    """``da123456`` and ``DA  123456`` are ``DA 123456``."""
    compact = re.sub(r"\s+", "", number or "").upper()
    match = re.match(r"^([A-Z]{2})(\d{6,8})$", compact)
    return f"{match[1]} {match[2]}" if match else compact


def _positive(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def checked_key(
    *, commune: str = "", sheet: Any = None, number: Any = None, certificate: str = ""
) -> dict[str, Any]:
    """What the look-up sends: the certificate's issue number, else the parcel's place;
    RegistryInputError (saying what to fix) when neither is complete."""
    certificate = normalise_certificate(certificate)
    if certificate:
        return {"so_giay_chung_nhan": certificate}
    place = (_positive(sheet), _positive(number))
    if not (COMMUNE.match((commune or "").strip()) and place[0] and place[1]):
        raise RegistryInputError(
            _(
                "Give the certificate's issue number, or the commune, the map sheet "
                "number and the parcel number (whole numbers)."
            )
        )
    return {"ma_xa": commune.strip(), "so_to": place[0], "so_thua": place[1]}


# --- The local provider -------------------------------------------------------------------------


def app(parcels: list[dict[str, Any]]) -> Callable[..., Any]:
    def lookup(asked: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        certificate = normalise_certificate(str(asked.get("so_giay_chung_nhan") or ""))
        place = (str(asked.get("ma_xa") or ""), _positive(asked.get("so_to")))
        number = _positive(asked.get("so_thua"))
        if not certificate and not (COMMUNE.match(place[0]) and place[1] and number):
            return base.BAD_REQUEST, {"loi": "thieu_thua_dat_hoac_giay_chung_nhan"}
        if not base.consent_given(asked):
            return base.FORBIDDEN, {"loi": "thieu_dong_y"}
        for parcel in parcels:
            if certificate:
                if parcel["giay_chung_nhan"]["so_phat_hanh"] == certificate:
                    return base.OK, parcel
            elif (parcel["ma_xa"], parcel["so_to"], parcel["so_thua"]) == (*place, number):
                return base.OK, parcel
        return base.NOT_FOUND, {"loi": "khong_tim_thay"}

    return base.json_app({LOOKUP_PATH: lookup}, OPENAPI)


def server(host: str = "127.0.0.1", port: int = 0, data: Path = DEMO_DATA) -> WSGIServer:
    return base.serve(app(json.loads(data.read_text())), host, port)


# --- The adapter --------------------------------------------------------------------------------


@dataclass
class Parcel:
    commune_code: str
    sheet: int  # số tờ bản đồ
    number: int  # số thửa
    address: str
    area_m2: float
    land_use: str  # mục đích sử dụng
    term: str  # thời hạn sử dụng
    origin: str  # nguồn gốc sử dụng
    users: list[dict[str, str]]  # {"ho_ten", "so_dinh_danh"}
    certificate_number: str  # số phát hành
    certificate_entry: str  # số vào sổ cấp giấy chứng nhận
    certificate_issued_on: str
    message_id: str

    @property
    def user_names(self) -> str:
        return ", ".join(user["ho_ten"] for user in self.users)

    def facts(self) -> dict[str, Any]:
        return {
            "ma_xa": self.commune_code,
            "so_to": self.sheet,
            "so_thua": self.number,
            "dia_chi": self.address,
            "dien_tich": self.area_m2,
            "muc_dich_su_dung": self.land_use,
            "thoi_han_su_dung": self.term,
            "nguon_goc": self.origin,
            "nguoi_su_dung": self.user_names,
            "so_giay_chung_nhan": self.certificate_number,
            "so_vao_so": self.certificate_entry,
            "ngay_cap_giay_chung_nhan": self.certificate_issued_on,
        }


class LandRegistry(base.GatewayRegistry):
    """A client system's view of the land database through the gateway."""

    def unavailable_message(self) -> str:
        return _("The land database cannot be asked now; upload a copy of the paper instead.")

    def lookup(
        self,
        *,
        commune: str = "",
        sheet: Any = None,
        number: Any = None,
        certificate: str = "",
        consent: str,
        subject: str = "",
    ) -> Parcel | None:
        """The parcel at map sheet ``sheet``, number ``number`` of the commune ``commune``, or
        the one whose certificate has the issue number ``certificate``; None when there is
        none. ``subject``: the identification number of the land user who asks, for the log."""
        key = checked_key(commune=commune, sheet=sheet, number=number, certificate=certificate)
        data, message_id = self.ask(
            LOOKUP_PATH, {**key, "ma_dong_y": consent}, subject=subject.strip()
        )
        if data is None:
            return None
        try:
            issued = data["giay_chung_nhan"]
            return Parcel(
                commune_code=data["ma_xa"],
                sheet=int(data["so_to"]),
                number=int(data["so_thua"]),
                address=data["dia_chi"],
                area_m2=float(data["dien_tich"]),
                land_use=data["muc_dich_su_dung"],
                term=data.get("thoi_han_su_dung", ""),
                origin=data.get("nguon_goc", ""),
                users=list(data.get("nguoi_su_dung") or []),
                certificate_number=issued["so_phat_hanh"],
                certificate_entry=issued.get("so_vao_so", ""),
                certificate_issued_on=issued.get("ngay_cap", ""),
                message_id=message_id,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RegistryUnavailable(self.unavailable_message()) from exc
