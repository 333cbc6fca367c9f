"""The national population database (Cơ sở dữ liệu quốc gia về dân cư) as a shared registry.

The national database's own interface is not public; the platform defines this one and the
provider side adapts to it: ``POST /cong-dan/tra-cuu`` with ``{"so_dinh_danh", "ma_dong_y"}``
(the personal identification number and the reference of the citizen's consent) answers the
person's identity and permanent residence, 404 for an unknown number, 403 without a consent
reference. :func:`server` is a local provider holding demo data (``serve_population_registry``);
:class:`PopulationRegistry` asks it through the gateway, so every look-up is signed, checked
against the caller's access right and written to the message log with the person's keyed hash.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIServer

from django.utils.translation import gettext as _

from egov.exchange.registries import base
from egov.exchange.registries.base import RegistryUnavailable

__all__ = ["Person", "PopulationRegistry", "RegistryUnavailable", "server"]

DEMO_DATA = Path(__file__).with_name("population_demo.json")
LOOKUP_PATH = "cong-dan/tra-cuu"
OPENAPI = base.openapi(
    "Cơ sở dữ liệu quốc gia về dân cư — tra cứu công dân", {LOOKUP_PATH: "Công dân"}
)


# --- The local provider -------------------------------------------------------------------------


def app(people: dict[str, dict[str, str]]) -> Callable[..., Any]:
    def lookup(asked: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        if not base.consent_given(asked):
            return base.FORBIDDEN, {"loi": "thieu_dong_y"}
        person = people.get(str(asked.get("so_dinh_danh", "")))
        if person is None:
            return base.NOT_FOUND, {"loi": "khong_tim_thay"}
        return base.OK, {"so_dinh_danh": asked["so_dinh_danh"], **person}

    return base.json_app({LOOKUP_PATH: lookup}, OPENAPI)


def server(host: str = "127.0.0.1", port: int = 0, data: Path = DEMO_DATA) -> WSGIServer:
    return base.serve(app(json.loads(data.read_text())), host, port)


# --- The adapter --------------------------------------------------------------------------------


@dataclass
class Person:
    personal_id: str
    full_name: str
    date_of_birth: str
    sex: str
    nationality: str
    hometown: str
    permanent_residence: str
    message_id: str  # the message log record that proves the look-up

    def facts(self) -> dict[str, Any]:
        """What the registry answered, under its protocol's names (labels.FACTS)."""
        return {
            "so_dinh_danh": self.personal_id,
            "ho_ten": self.full_name,
            "ngay_sinh": self.date_of_birth,
            "gioi_tinh": self.sex,
            "quoc_tich": self.nationality,
            "que_quan": self.hometown,
            "noi_thuong_tru": self.permanent_residence,
        }


class PopulationRegistry(base.GatewayRegistry):
    """A client system's view of the registry through the gateway."""

    def unavailable_message(self) -> str:
        return _("The population registry cannot be asked now; upload a copy of the paper instead.")

    def lookup(self, personal_id: str, *, consent: str) -> Person | None:
        """The person with ``personal_id``, None when the registry has no such number; raises
        :class:`RegistryUnavailable` when it cannot be asked (down, refused, no right)."""
        data, message_id = self.ask(
            LOOKUP_PATH, {"so_dinh_danh": personal_id, "ma_dong_y": consent}, subject=personal_id
        )
        if data is None:
            return None
        try:
            return Person(
                personal_id=data["so_dinh_danh"],
                full_name=data["ho_ten"],
                date_of_birth=data["ngay_sinh"],
                sex=data["gioi_tinh"],
                nationality=data["quoc_tich"],
                hometown=data["que_quan"],
                permanent_residence=data["noi_thuong_tru"],
                message_id=message_id,
            )
        except KeyError as exc:
            raise RegistryUnavailable(self.unavailable_message()) from exc
