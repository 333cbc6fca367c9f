"""The national business registration database (Cơ sở dữ liệu quốc gia về đăng ký doanh
nghiệp) as a shared registry.

The platform's interface, which the provider side adapts to: ``POST /doanh-nghiep/tra-cuu`` with
``{"ma_so_doanh_nghiep"}`` — the enterprise code, which is also its tax code (mã số thuế, Law on
Enterprises 2020, art. 29): ten digits, or ten and a three-digit suffix for a branch
(``1801234567-001``); ``{"ma_so_thue"}`` is accepted for the same number. Answers the name,
type, first registration date, head office, legal representative, charter capital, main line
of business and status; 404 for an unknown code, 400 for a malformed one. Registration data is
public (Decree 01/2021/NĐ-CP): no consent is asked, but the purpose of every look-up is logged.
``serve_business_registry`` runs a local provider with demo data (``business_demo.json``).
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

__all__ = [
    "BusinessRegistry",
    "Enterprise",
    "RegistryUnavailable",
    "checked_code",
    "normalise_code",
]

DEMO_DATA = Path(__file__).with_name("business_demo.json")
LOOKUP_PATH = "doanh-nghiep/tra-cuu"
OPENAPI = base.openapi(
    "Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp — tra cứu doanh nghiệp",
    {LOOKUP_PATH: "Thông tin đăng ký doanh nghiệp"},
)
CODE = re.compile(r"^\d{10}(-\d{3})?$")


def normalise_code(code: str) -> str:
    """``1801234567``, ``1801234567-001``; spaces and dots typed in between are dropped."""
    return re.sub(r"[\s.]", "", code or "")


def checked_code(code: str) -> str:
    """The normalised code; RegistryInputError (saying what to fix) for a malformed one."""
    code = normalise_code(code)
    if not CODE.match(code):
        raise RegistryInputError(
            _(
                "The enterprise code (tax code) has 10 digits, or 10 digits, a hyphen and 3 "
                "digits for a branch, e.g. 1801234567 or 1801234567-001."
            )
        )
    return code


# --- The local provider -------------------------------------------------------------------------


def app(enterprises: dict[str, dict[str, Any]]) -> Callable[..., Any]:
    def lookup(asked: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        code = normalise_code(str(asked.get("ma_so_doanh_nghiep") or asked.get("ma_so_thue") or ""))
        if not CODE.match(code):
            return base.BAD_REQUEST, {"loi": "ma_so_khong_hop_le"}
        enterprise = enterprises.get(code)
        if enterprise is None:
            return base.NOT_FOUND, {"loi": "khong_tim_thay"}
        return base.OK, {"ma_so_doanh_nghiep": code, **enterprise}

    return base.json_app({LOOKUP_PATH: lookup}, OPENAPI)


def server(host: str = "127.0.0.1", port: int = 0, data: Path = DEMO_DATA) -> WSGIServer:
    return base.serve(app(json.loads(data.read_text())), host, port)


# --- The adapter --------------------------------------------------------------------------------


@dataclass
class Enterprise:
    code: str  # mã số doanh nghiệp = mã số thuế
    name: str
    short_name: str
    kind: str  # loại hình doanh nghiệp
    registered_on: str  # first registration
    head_office: str
    representative: str
    representative_title: str
    charter_capital: int
    main_business: str
    status: str
    message_id: str

    @property
    def tax_code(self) -> str:
        return self.code

    def facts(self) -> dict[str, Any]:
        return {
            "ma_so_doanh_nghiep": self.code,
            "ten_doanh_nghiep": self.name,
            "ten_viet_tat": self.short_name,
            "loai_hinh": self.kind,
            "ngay_dang_ky_lan_dau": self.registered_on,
            "dia_chi_tru_so": self.head_office,
            "nguoi_dai_dien": self.representative,
            "chuc_danh_nguoi_dai_dien": self.representative_title,
            "von_dieu_le": self.charter_capital,
            "nganh_nghe_chinh": self.main_business,
            "tinh_trang": self.status,
        }


class BusinessRegistry(base.GatewayRegistry):
    """A client system's view of the business registration database through the gateway."""

    def unavailable_message(self) -> str:
        return _(
            "The national business registration database cannot be asked now; "
            "upload a copy of the paper instead."
        )

    def lookup(self, code: str) -> Enterprise | None:
        """The enterprise (or branch) with the enterprise code — tax code — ``code``; None when
        there is none. A malformed code raises RegistryInputError before anything is sent."""
        code = checked_code(code)
        data, message_id = self.ask(LOOKUP_PATH, {"ma_so_doanh_nghiep": code})
        if data is None:
            return None
        try:
            return Enterprise(
                code=data["ma_so_doanh_nghiep"],
                name=data["ten_doanh_nghiep"],
                short_name=data.get("ten_viet_tat", ""),
                kind=data["loai_hinh"],
                registered_on=data["ngay_dang_ky_lan_dau"],
                head_office=data["dia_chi_tru_so"],
                representative=data["nguoi_dai_dien"],
                representative_title=data.get("chuc_danh_nguoi_dai_dien", ""),
                charter_capital=int(data.get("von_dieu_le") or 0),
                main_business=data.get("nganh_nghe_chinh", ""),
                status=data["tinh_trang"],
                message_id=message_id,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RegistryUnavailable(self.unavailable_message()) from exc
