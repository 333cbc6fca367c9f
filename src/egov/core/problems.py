"""RFC 9457 problem documents: the body of every error answer of the API, and of the local
simulators that speak another party's protocol. Here, in the kernel, so that any app can answer
one without importing the module that assembles the API."""

import re

from django.http import JsonResponse

MEDIA_TYPE = "application/problem+json"


def problem(request, status: int, title: str, detail: str = "", **extra) -> JsonResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JsonResponse(body, status=status, content_type=MEDIA_TYPE)


def multipart_required(run):
    """For an API operation that takes a file (``@decorate_view(multipart_required)``): a body
    sent as anything but multipart/form-data is a 415 that says how to send it, before the
    parameters are parsed (they would only report the file as missing)."""
    from functools import wraps

    from django.utils.translation import gettext as _

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        if request.content_type != "multipart/form-data":
            return problem(
                request,
                415,
                _("Send the file as a form upload"),
                _(
                    "This address takes multipart/form-data (a form with the file in the "
                    "“file” field), not %(type)s."
                )
                % {"type": request.content_type or _("an empty body")},
            )
        return run(request, *args, **kwargs)

    return wrapper


def _field_messages() -> dict:
    from django.utils.translation import gettext_lazy as _

    # pydantic words its errors in English; a person reads them in their language. The common
    # kinds, with pydantic's context (limits, allowed values) put back in.
    return {
        "missing": _("This field is required."),
        "greater_than_equal": _("Give a value of at least %(ge)s."),
        "greater_than": _("Give a value greater than %(gt)s."),
        "less_than_equal": _("Give a value of at most %(le)s."),
        "less_than": _("Give a value less than %(lt)s."),
        "string_too_long": _("Write at most %(max_length)s characters."),
        "string_too_short": _("Write at least %(min_length)s characters."),
        "too_long": _("Give at most %(max_length)s items."),
        "too_short": _("Give at least %(min_length)s items."),
        "enum": _("Choose one of: %(expected)s."),
        "literal_error": _("Choose one of: %(expected)s."),
        "int_parsing": _("Give a whole number."),
        "int_type": _("Give a whole number."),
        "int_from_float": _("Give a whole number."),
        "float_parsing": _("Give a number."),
        "float_type": _("Give a number."),
        "decimal_parsing": _("Give a number (with a dot before the decimals)."),
        "decimal_type": _("Give a number (with a dot before the decimals)."),
        "decimal_max_digits": _("Give a number of at most %(max_digits)s digits."),
        "decimal_max_places": _("Give at most %(decimal_places)s digits after the dot."),
        "bool_parsing": _("Give true or false."),
        "bool_type": _("Give true or false."),
        "string_type": _("Give a text."),
        "date_parsing": _("Write the date as YYYY-MM-DD, for example 2026-12-07."),
        "date_from_datetime_parsing": _("Write the date as YYYY-MM-DD, for example 2026-12-07."),
        "date_type": _("Write the date as YYYY-MM-DD, for example 2026-12-07."),
        "datetime_parsing": _("Write the time as YYYY-MM-DDTHH:MM:SS+07:00."),
        "datetime_from_date_parsing": _("Write the time as YYYY-MM-DDTHH:MM:SS+07:00."),
        "uuid_parsing": _("Give an identifier as the API returned it (a UUID)."),
        "uuid_type": _("Give an identifier as the API returned it (a UUID)."),
        "list_type": _("Give a list."),
        "dict_type": _("Give an object (a JSON object with named fields)."),
        "model_attributes_type": _("Give an object (a JSON object with named fields)."),
        "model_type": _("Give an object (a JSON object with named fields)."),
        "json_invalid": _("The body is not valid JSON."),
        "extra_forbidden": _("This field is not known here; remove it."),
    }


def field_error(error: dict) -> dict:
    """One error of a pydantic validation as the API gives it: the field's path and a message in
    the request's language that says what to give instead."""
    field = ".".join(str(part) for part in error.get("loc", [])[1:])
    kind = error.get("type", "")
    if kind == "value_error":
        # Our own validators raise ValueError with a translated message; pydantic prefixes it.
        message = str(error.get("msg", "")).removeprefix("Value error, ")
    elif kind in (messages := _field_messages()):
        context = dict(error.get("ctx") or {})
        if "expected" in context:  # "'in', 'out' or ''": each value quoted, in any language
            context["expected"] = ", ".join(
                f"“{value}”" for value in re.findall(r"'([^']*)'", str(context["expected"]))
            )
        try:
            message = str(messages[kind]) % context
        except (KeyError, TypeError, ValueError):
            message = str(error.get("msg", ""))
    else:
        message = str(error.get("msg", ""))
    return {"field": field, "message": message}
