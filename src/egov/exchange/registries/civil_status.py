"""The electronic civil status database (Cơ sở dữ liệu hộ tịch điện tử) as a shared registry:
birth (khai sinh) and marriage (kết hôn) records.

The platform's interface, which the provider side adapts to:

- ``POST /ho-tich/khai-sinh/tra-cuu`` with ``{"so_dinh_danh"}`` (the person's identification
  number) or ``{"so_dang_ky", "quyen_so"}`` (the register entry: number and book), and
  ``"ma_dong_y"`` (the reference of the citizen's consent): the birth record;
- ``POST /ho-tich/ket-hon/tra-cuu`` with ``{"so_dinh_danh"}`` (either spouse's) or the register
  entry, and ``"ma_dong_y"``: the newest marriage record.

404 when there is no such record, 403 without a consent reference, 400 without a key.
``serve_civil_status_registry`` runs a local provider with demo data
(``civil_status_demo.json``); :class:`CivilStatusRegistry` asks it through the gateway.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIServer

from django.utils.translation import gettext as _

from egov.exchange.registries import base
from egov.exchange.registries.base import RegistryInputError, RegistryUnavailable

__all__ = ["BirthRecord", "CivilStatusRegistry", "MarriageRecord", "RegistryUnavailable"]

DEMO_DATA = Path(__file__).with_name("civil_status_demo.json")
BIRTH_PATH = "ho-tich/khai-sinh/tra-cuu"
MARRIAGE_PATH = "ho-tich/ket-hon/tra-cuu"
OPENAPI = base.openapi(
    "Cơ sở dữ liệu hộ tịch điện tử — tra cứu khai sinh, kết hôn",
    {BIRTH_PATH: "Trích lục khai sinh", MARRIAGE_PATH: "Trích lục kết hôn"},
)


# --- The local provider -------------------------------------------------------------------------


def _matches(record: dict[str, Any], asked: dict[str, Any], ids: list[str]) -> bool:
    number = str(asked.get("so_dinh_danh") or "").strip()
    if number:
        return number in ids
    entry = str(asked.get("so_dang_ky") or "").strip()
    book = str(asked.get("quyen_so") or "").strip()
    return entry == record["so_dang_ky"] and (not book or book == record["quyen_so"])


def app(records: dict[str, list[dict[str, Any]]]) -> Callable[..., Any]:
    def finder(kind: str, ids: Callable[[dict[str, Any]], list[str]]) -> base.Handler:
        def lookup(asked: dict[str, Any]) -> tuple[str, dict[str, Any]]:
            if not (asked.get("so_dinh_danh") or asked.get("so_dang_ky")):
                return base.BAD_REQUEST, {"loi": "thieu_so_dinh_danh_hoac_so_dang_ky"}
            if not base.consent_given(asked):
                return base.FORBIDDEN, {"loi": "thieu_dong_y"}
            found = [r for r in records.get(kind, []) if _matches(r, asked, ids(r))]
            if not found:
                return base.NOT_FOUND, {"loi": "khong_tim_thay"}
            return base.OK, max(found, key=lambda r: r["ngay_dang_ky"])

        return lookup

    return base.json_app(
        {
            BIRTH_PATH: finder("khai_sinh", lambda r: [r["so_dinh_danh"]]),
            MARRIAGE_PATH: finder(
                "ket_hon", lambda r: [r["chong"]["so_dinh_danh"], r["vo"]["so_dinh_danh"]]
            ),
        },
        OPENAPI,
    )


def server(host: str = "127.0.0.1", port: int = 0, data: Path = DEMO_DATA) -> WSGIServer:
    return base.serve(app(json.loads(data.read_text())), host, port)


# --- The adapter --------------------------------------------------------------------------------


@dataclass
class BirthRecord:
    personal_id: str
    full_name: str
    date_of_birth: str
    sex: str
    place_of_birth: str
    ethnicity: str
    nationality: str
    father_name: str
    mother_name: str
    entry_number: str  # số đăng ký
    book: str  # quyển số
    registered_on: str
    registered_by: str  # the people's committee that registered it
    message_id: str

    def facts(self) -> dict[str, Any]:
        return {
            "so_dinh_danh": self.personal_id,
            "ho_ten": self.full_name,
            "ngay_sinh": self.date_of_birth,
            "gioi_tinh": self.sex,
            "noi_sinh": self.place_of_birth,
            "dan_toc": self.ethnicity,
            "quoc_tich": self.nationality,
            "ho_ten_cha": self.father_name,
            "ho_ten_me": self.mother_name,
            "so_dang_ky_khai_sinh": self.entry_number,
            "quyen_so": self.book,
            "ngay_dang_ky_khai_sinh": self.registered_on,
            "noi_dang_ky_khai_sinh": self.registered_by,
        }


@dataclass
class MarriageRecord:
    husband_name: str
    husband_id: str
    wife_name: str
    wife_id: str
    entry_number: str
    book: str
    registered_on: str
    registered_by: str
    message_id: str

    def facts(self) -> dict[str, Any]:
        return {
            "ho_ten_chong": self.husband_name,
            "so_dinh_danh_chong": self.husband_id,
            "ho_ten_vo": self.wife_name,
            "so_dinh_danh_vo": self.wife_id,
            "so_dang_ky_ket_hon": self.entry_number,
            "quyen_so": self.book,
            "ngay_dang_ky_ket_hon": self.registered_on,
            "noi_dang_ky_ket_hon": self.registered_by,
        }


class CivilStatusRegistry(base.GatewayRegistry):
    """A client system's view of the civil status database through the gateway."""

    def unavailable_message(self) -> str:
        return _(
            "The civil status database cannot be asked now; upload a copy of the paper instead."
        )

    def _key(self, personal_id: str, entry: str, book: str, consent: str) -> dict[str, str]:
        if not (personal_id.strip() or entry.strip()):
            raise RegistryInputError(
                _("Give the person's identification number or the register entry number.")
            )
        if personal_id.strip():
            return {"so_dinh_danh": personal_id.strip(), "ma_dong_y": consent}
        return {"so_dang_ky": entry.strip(), "quyen_so": book.strip(), "ma_dong_y": consent}

    def birth(
        self, personal_id: str = "", *, entry: str = "", book: str = "", consent: str
    ) -> BirthRecord | None:
        """The birth record of the person with ``personal_id`` (or at the register entry
        ``entry`` of ``book``); None when there is none; RegistryUnavailable when the database
        cannot be asked."""
        data, message_id = self.ask(
            BIRTH_PATH, self._key(personal_id, entry, book, consent), subject=personal_id.strip()
        )
        if data is None:
            return None
        try:
            return BirthRecord(
                personal_id=data["so_dinh_danh"],
                full_name=data["ho_ten"],
                date_of_birth=data["ngay_sinh"],
                sex=data["gioi_tinh"],
                place_of_birth=data["noi_sinh"],
                ethnicity=data.get("dan_toc", ""),
                nationality=data.get("quoc_tich", ""),
                father_name=data.get("ho_ten_cha", ""),
                mother_name=data.get("ho_ten_me", ""),
                entry_number=data["so_dang_ky"],
                book=data["quyen_so"],
                registered_on=data["ngay_dang_ky"],
                registered_by=data["noi_dang_ky"],
                message_id=message_id,
            )
        except KeyError as exc:
            raise RegistryUnavailable(self.unavailable_message()) from exc

    def marriage(
        self, personal_id: str = "", *, entry: str = "", book: str = "", consent: str
    ) -> MarriageRecord | None:
        """The newest marriage record of the person with ``personal_id`` (either spouse), or
        the one at the register entry; None when there is none."""
        data, message_id = self.ask(
            MARRIAGE_PATH,
            self._key(personal_id, entry, book, consent),
            subject=personal_id.strip(),
        )
        if data is None:
            return None
        try:
            return MarriageRecord(
                husband_name=data["chong"]["ho_ten"],
                husband_id=data["chong"].get("so_dinh_danh", ""),
                wife_name=data["vo"]["ho_ten"],
                wife_id=data["vo"].get("so_dinh_danh", ""),
                entry_number=data["so_dang_ky"],
                book=data["quyen_so"],
                registered_on=data["ngay_dang_ky"],
                registered_by=data["noi_dang_ky"],
                message_id=message_id,
            )
        except (KeyError, TypeError) as exc:
            raise RegistryUnavailable(self.unavailable_message()) from exc
