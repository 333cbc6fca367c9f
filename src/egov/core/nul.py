"""Refusing the NUL character (U+0000) wherever a request can carry it.

PostgreSQL text and jsonb cannot hold U+0000: a value carrying one fails with a server error
deep in a query (SQLite stores it silently). Django's forms already refuse it; this covers the
address, the query string and the API's JSON and form bodies, so the sender is told what to fix.
"""

import json
from collections.abc import Iterator

from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja.errors import ValidationError
from ninja.parser import Parser

from egov.core.problems import problem

NUL = "\x00"


def nul_paths(value, path: tuple = ()) -> Iterator[tuple]:
    """Where in a decoded JSON value a NUL character occurs (in a key or a string)."""
    if isinstance(value, str):
        if NUL in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield (*path, key)
            else:
                yield from nul_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nul_paths(item, (*path, index))


def refusal(source: str, paths) -> ValidationError:
    message = _("Remove the null character (U+0000) from this value.")
    return ValidationError([{"loc": (source, *path), "msg": message} for path in paths])


class NulRefusingParser(Parser):
    """The API's parser: the default one, refusing NUL in JSON and form bodies."""

    def parse_body(self, request):
        data = json.loads(request.body)
        paths = list(nul_paths(data))
        if paths:
            raise refusal("body", paths)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        if data is request.GET:
            return result  # the address: NulAddressMiddleware's, which knows the exemptions
        paths = [
            (key,)
            for key, values in data.lists()
            if NUL in key or any(isinstance(v, str) and NUL in v for v in values)
        ]
        if paths:
            raise refusal("form", paths)
        return result


# Views that answer every request in another party's protocol (a payment gateway's notice is
# always answered 200 with its own response code, or the gateway calls again and again); they
# refuse a NUL themselves, by the signature that covers every parameter.
_OWN_PROTOCOL: set[str] = set()


def answered_by_the_view(view_name: str) -> None:
    """Leaves ``view_name`` (namespaced URL name) to answer a NUL in its address itself."""
    _OWN_PROTOCOL.add(view_name)


class NulAddressMiddleware:
    """Answers 400 to an address or query string holding NUL, before the view reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if NUL not in request.path and not _query_has_nul(request):
            return None
        if request.resolver_match and request.resolver_match.view_name in _OWN_PROTOCOL:
            return None
        return _bad_address(request)


def _query_has_nul(request) -> bool:
    query = request.META.get("QUERY_STRING", "")
    if "%00" not in query and NUL not in query:
        return False
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()
    )


def _bad_address(request):
    title = _("The address is not valid")
    detail = _("It contains a null character (%00). Remove it from the address and try again.")
    if request.resolver_match and request.resolver_match.namespace == "api":
        return problem(request, 400, title, detail)
    return render(request, "bad_request.html", {"title": title, "detail": detail}, status=400)
