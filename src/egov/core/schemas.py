import datetime
import re
from typing import Annotated, Any

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator, WithJsonSchema


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    """An RFC 9457 problem document, the body of every 4xx/5xx API answer."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    errors: list[FieldError] | None = None


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """A date is written YYYY-MM-DD. pydantic would also take a number of seconds since 1970
    ("0" is 1 January 1970), which no caller means and the schema's format: date does not allow."""
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError(_("Write the date as YYYY-MM-DD, for example 2026-12-07."))
    return value


# The API's date: in the request (a query parameter or a JSON field) only as YYYY-MM-DD.
IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]


def choice(choices: type[TextChoices], description: str = "") -> Any:
    """A TextChoices field of the API, its values written out in the schema where it is used:
    two apps' enums of the same class name (Status) would otherwise share one component and the
    contract would show one app's values for the other's field."""
    schema: dict[str, Any] = {"type": "string", "enum": list(choices.values)}
    if description:
        schema["description"] = description
    return Annotated[choices, WithJsonSchema(schema)]
