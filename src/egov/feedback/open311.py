"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), under /open311/v2/, so that
existing Open311 client applications work against the platform unchanged.

The protocol is the spec's, not the platform's API conventions: the format is the address's
extension (``.json`` or ``.xml``), parameters are query or form fields, errors are the spec's
list of ``{code, description}``. Posting needs an API key, issued by an administrator
(``ApiClient``); each key has its rate, reads without a key are limited per address. Extensions,
which clients that do not know them ignore: ``lat``/``long``/``radius`` (metres) and ``commune``
on GET requests, ``page``/``page_size``, the ``token`` beside the id in the POST answer, the
``Idempotency-Key`` header on POST, a ``media`` file in a multipart POST. A ``media_url`` is
fetched in the background and published as the platform's checked copy (egov.feedback.remote).
"""

import contextlib
import datetime
import time
import xml.etree.ElementTree as ET

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count
from django.db.models.expressions import RawSQL
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from egov.core.clientaddr import client_address
from egov.feedback import geo, links, services
from egov.feedback.models import Category, Media, Report, ReportEvent
from egov.feedback.queries import public_reports

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-01-15T00:00:00+07:00"
DEFAULT_WINDOW = datetime.timedelta(days=90)
FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
NUL = "\x00"


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


# --- Rendering ---------------------------------------------------------------------------------


def _xml_value(parent: ET.Element, name: str, value) -> None:
    child = ET.SubElement(parent, name)
    if isinstance(value, list):
        singular = {"values": "value", "attributes": "attribute", "keywords": "keyword"}.get(
            name, "item"
        )
        for item in value:
            if isinstance(item, dict):
                _xml_dict(ET.SubElement(child, singular), item)
            else:
                ET.SubElement(child, singular).text = str(item)
    elif isinstance(value, dict):
        _xml_dict(child, value)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    elif value is not None:
        child.text = str(value)


def _xml_dict(element: ET.Element, data: dict) -> None:
    for name, value in data.items():
        _xml_value(element, name, value)


def _render(fmt: str, data, *, root: str = "", item: str = "", status: int = 200):
    """JSON as is; XML with ``root`` holding one ``item`` per element of a list."""
    if fmt == "xml":
        element = ET.Element(root)
        if isinstance(data, list):
            for entry in data:
                _xml_dict(ET.SubElement(element, item), entry)
        else:
            _xml_dict(element, data)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")
        return HttpResponse(body, content_type=FORMATS["xml"], status=status)
    return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _error(fmt: str, status: int, description: str):
    return _render(
        fmt,
        [{"code": status, "description": description}],
        root="errors",
        item="error",
        status=status,
    )


def _moment(value) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _absolute(path: str) -> str:
    return links.absolute(path)


# --- Parameters, keys, limits -------------------------------------------------------------------


def _refuse_nul(request) -> None:
    for source in (request.GET, request.POST):
        for key, values in source.lists():
            if NUL in key or any(NUL in value for value in values):
                raise Open311Error(
                    400, _("A parameter contains a null character (%00). Remove it.")
                )


def _check_jurisdiction(request) -> None:
    given = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    if given and given != settings.EGOV_OPEN311_JURISDICTION:
        raise Open311Error(
            404,
            _("jurisdiction_id %(given)s is not served here; this server is %(ours)s.")
            % {"given": given[:100], "ours": settings.EGOV_OPEN311_JURISDICTION},
        )


def _over_limit(scope: str, who: str, per_minute: int) -> bool:
    """Counts one request of ``who`` in the current minute; True past ``per_minute``."""
    window = int(time.time() // 60)
    key = f"open311:{scope}:{who}:{window}"
    cache = caches["default"]
    if cache.add(key, 1, 61):
        return per_minute < 1
    try:
        return cache.incr(key) > per_minute
    except ValueError:  # expired between the two calls
        cache.add(key, 1, 61)
        return per_minute < 1


def _read_rate() -> int:
    count, period = settings.EGOV_OPEN311_READ_RATE.split("/")
    return int(count) * 60 // {"s": 1, "m": 60, "h": 3600}[period[0]] or 1


def _client(request, *, required: bool):
    key = request.POST.get("api_key") or request.GET.get("api_key") or ""
    if not key:
        if required:
            raise Open311Error(403, _("api_key was not provided. Ask the city for a key."))
        return None
    client = services.client_for_key(key)
    if client is None:
        raise Open311Error(403, _("api_key is not valid or was revoked."))
    return client


def _limit(request, client) -> None:
    if client is not None:
        limited = _over_limit("key", str(client.pk), client.requests_per_minute)
    else:
        limited = _over_limit("address", client_address(request), _read_rate())
    if limited:
        raise Open311Error(429, _("Too many requests: wait a minute, then try again."))


def _cross_origin(response):
    """Open311 apps that run in a browser (maps, dashboards, a city's web app) read and post
    from their own sites: anyone may, as with a phone app. No cookie is read here, so this
    opens nothing a signed-in person holds."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _preflight():
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, POST"
    response["Access-Control-Allow-Headers"] = "Idempotency-Key, Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    return _cross_origin(response)


def endpoint(view):
    """Answers every failure in the spec's error format, in the format asked for, in the
    language asked for (``locale=en``; Vietnamese otherwise), to any site's scripts."""

    def wrapper(request, fmt: str, *args, **kwargs):
        if request.method == "OPTIONS":
            return _preflight()
        language = "en" if str(request.GET.get("locale", "")).lower().startswith("en") else "vi"
        with translation.override(language):
            try:
                _refuse_nul(request)
                _check_jurisdiction(request)
                return _cross_origin(view(request, fmt, *args, **kwargs))
            except Open311Error as exc:
                return _cross_origin(_error(fmt, exc.status, exc.description))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return csrf_exempt(wrapper)


# --- Endpoints -----------------------------------------------------------------------------------


@endpoint
def discovery(request, fmt: str):
    if request.method != "GET":
        raise Open311Error(405, _("Use GET."))
    _limit(request, None)
    base = _absolute(reverse("open311:root"))
    data = {
        "changeset": CHANGESET,
        "contact": settings.EGOV_OPEN311_CONTACT,
        "key_service": _("API keys are issued by the city's administrators: write to %(email)s.")
        % {"email": settings.EGOV_OPEN311_CONTACT},
        "endpoints": [
            {
                "specification": SPEC,
                "url": base.rstrip("/"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    if fmt == "xml":
        element = ET.Element("discovery")
        for name in ("changeset", "contact", "key_service"):
            ET.SubElement(element, name).text = data[name]
        endpoints = ET.SubElement(element, "endpoints")
        for entry in data["endpoints"]:
            node = ET.SubElement(endpoints, "endpoint")
            for name in ("specification", "url", "changeset", "type"):
                ET.SubElement(node, name).text = entry[name]
            formats = ET.SubElement(node, "formats")
            for value in entry["formats"]:
                ET.SubElement(formats, "format").text = value
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")
        return HttpResponse(body, content_type=FORMATS["xml"])
    return _render(fmt, data)


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(category.attribute_count),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def _categories():
    return Category.objects.filter(is_active=True).annotate(attribute_count=Count("attributes"))


@endpoint
def service_list(request, fmt: str):
    if request.method != "GET":
        raise Open311Error(405, _("Use GET."))
    _limit(request, _client(request, required=False))
    return _render(fmt, [_service(c) for c in _categories()], root="services", item="service")


@endpoint
def service_definition(request, fmt: str, code: str):
    if request.method != "GET":
        raise Open311Error(405, _("Use GET."))
    _limit(request, _client(request, required=False))
    category = Category.objects.filter(is_active=True, code=code).first()
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code[:50]})
    attributes = [
        {
            "variable": True,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": attribute.datatype_description,
            "order": attribute.position,
            "description": attribute.description,
            "values": [
                {"key": str(value.get("key")), "name": value.get("name") or str(value.get("key"))}
                for value in attribute.values
            ],
        }
        for attribute in category.attributes.all()
    ]
    return _render(
        fmt, {"service_code": category.code, "attributes": attributes}, root="service_definition"
    )


# What an entry shows, read as plain rows: a search near the centre of a city returns hundreds of
# reports, and model instances (a report, its category, agency, commune) cost more than the query.
ENTRY_COLUMNS = [
    "pk",
    "code",
    "status",
    "answer",
    "description",
    "public_description",
    "received_at",
    "updated_at",
    "due_at",
    "address",
    "latitude",
    "longitude",
    "category__name",
    "category__code",
    "agency__name",
    "commune__name",
    "merged_into__code",
]


def _entries(rows: list[dict]) -> list[dict]:
    """The Open311 entries of these rows (of ENTRY_COLUMNS), in their order: two more queries,
    the first photo of each and the last public note of those without an answer."""
    ids = [row["pk"] for row in rows]
    photos: dict[int, str] = {}
    for report_id, public_id in (
        Media.objects.filter(
            report_id__in=_id_list(ids),
            role=Media.Role.REPORT,
            kind=Media.Kind.PHOTO,
            hidden_at__isnull=True,
        )
        .order_by("-id")
        .values_list("report_id", "public_id")
    ):
        photos[report_id] = str(public_id)  # the lowest id wins: the first photo sent
    waiting = [row["pk"] for row in rows if not row["answer"] and not row["merged_into__code"]]
    notes: dict[int, str] = {}
    if waiting:
        for report_id, note in (
            ReportEvent.objects.filter(report_id__in=_id_list(waiting), public=True)
            .exclude(note="")
            .order_by("at", "id")
            .values_list("report_id", "note")
        ):
            notes[report_id] = note
    tz = timezone.get_current_timezone()
    media_base = _absolute(reverse("feedback:media", args=["00000000-0000-0000-0000-000000000000"]))
    merged_text = _("Same problem as report %(code)s.")
    entries = []
    for row in rows:
        is_open = row["status"] in Report.OPEN
        if row["merged_into__code"]:
            status_notes = merged_text % {"code": row["merged_into__code"]}
        else:
            status_notes = row["answer"] or notes.get(row["pk"], "")
        photo = photos.get(row["pk"])
        entries.append(
            {
                "service_request_id": row["code"],
                "status": "open" if is_open else "closed",
                "status_notes": status_notes,
                "service_name": row["category__name"],
                "service_code": row["category__code"],
                "description": row["public_description"] or row["description"],
                "agency_responsible": row["agency__name"],
                "service_notice": "",
                "requested_datetime": row["received_at"].astimezone(tz).isoformat("T", "seconds"),
                "updated_datetime": row["updated_at"].astimezone(tz).isoformat("T", "seconds"),
                "expected_datetime": row["due_at"].astimezone(tz).isoformat("T", "seconds")
                if is_open
                else None,
                "address": row["address"] or row["commune__name"] or "",
                "address_id": "",
                "zipcode": "",
                "lat": row["latitude"],
                "long": row["longitude"],
                # Our checked copy only: a client's own address is never republished (its
                # file was not checked and may carry the place in its metadata).
                "media_url": media_base.replace("00000000-0000-0000-0000-000000000000", photo)
                if photo
                else "",
            }
        )
    return entries


def _rows(reports) -> list[dict]:
    return list(reports.values(*ENTRY_COLUMNS))


def _float(request, name: str, low: float, high: float) -> float | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError:
        raise Open311Error(400, _("%(name)s must be a number.") % {"name": name}) from None
    if not low <= value <= high:
        raise Open311Error(
            400,
            _("%(name)s must lie between %(low)s and %(high)s.")
            % {"name": name, "low": low, "high": high},
        )
    return value


def _date(request, name: str):
    raw = request.GET.get(name)
    if not raw:
        return None
    value = parse_datetime(raw.replace(" ", "+"))
    if value is None:
        raise Open311Error(
            400,
            _("%(name)s must be a W3C date and time, e.g. 2026-01-15T08:30:00+07:00.")
            % {"name": name},
        )
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _int(request, name: str, default: int, high: int) -> int:
    raw = request.GET.get(name)
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= high:
        raise Open311Error(
            400,
            _("%(name)s must be a whole number from 1 to %(high)s.") % {"name": name, "high": high},
        )
    return int(raw)


def _search(request) -> list[dict]:
    """The entries the filters select, newest first."""
    reports = public_reports()
    ids = [
        part.strip()
        for part in request.GET.get("service_request_id", "").split(",")
        if part.strip()
    ]
    if ids:
        # The spec: with ids, the other filters are ignored.
        return _entries(_rows(reports.filter(code__in=ids[:100]).order_by("-received_at")))
    codes = [
        part.strip() for part in request.GET.get("service_code", "").split(",") if part.strip()
    ]
    if codes:
        reports = reports.filter(category__code__in=codes)
    statuses = {part.strip() for part in request.GET.get("status", "").split(",") if part.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status must be open, closed, or both separated by a comma."))
    if statuses == {"open"}:
        reports = reports.filter(status__in=Report.OPEN)
    elif statuses == {"closed"}:
        reports = reports.exclude(status__in=Report.OPEN)
    start, end = _date(request, "start_date"), _date(request, "end_date")
    if start and end and end < start:
        raise Open311Error(400, _("end_date must not be before start_date."))
    if start and end and end - start > DEFAULT_WINDOW:
        raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
    if start is None:
        start = (end or timezone.now()) - DEFAULT_WINDOW
    reports = reports.filter(received_at__gte=start)
    if end is not None:
        reports = reports.filter(received_at__lte=end)
    latitude = _float(request, "lat", -90, 90)
    longitude = _float(request, "long", -180, 180)
    if (latitude is None) != (longitude is None):
        raise Open311Error(400, _("lat and long go together."))
    if latitude is not None:
        radius = _float(request, "radius", 1, geo.MAX_RADIUS_METRES) or 500
        reports = geo.near(reports, latitude, longitude, radius)
    if commune := request.GET.get("commune"):
        reports = reports.filter(commune__code=commune[:10])
    size = _int(
        request, "page_size", settings.EGOV_OPEN311_MAX_REQUESTS, settings.EGOV_OPEN311_MAX_REQUESTS
    )
    page = _int(request, "page", 1, 100_000)
    # The page's ids first, then their rows by primary key: joined in one query, PostgreSQL
    # misjudged the few rows the distance keeps and looped over every agency (130 ms for 600
    # rows at a million reports, against 35 ms in two).
    ids = list(
        reports.order_by("-received_at", "-id").values_list("pk", flat=True)[
            (page - 1) * size : page * size
        ]
    )
    rows = {row["pk"]: row for row in _rows(_with_ids(ids))}
    return _entries([rows[pk] for pk in ids if pk in rows])


def _with_ids(ids: list[int]):
    return Report.objects.filter(pk__in=_id_list(ids))


def _id_list(ids: list[int]):
    """The right side of an ``__in`` over these ids: on PostgreSQL one array parameter rather
    than a thousand placeholders, which the driver took longer to build than the query to run."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return ids


@endpoint
def requests(request, fmt: str):
    if request.method == "POST":
        return _post_request(request, fmt)
    if request.method != "GET":
        raise Open311Error(405, _("Use GET or POST."))
    _limit(request, _client(request, required=False))
    return _render(fmt, _search(request), root="service_requests", item="request")


@endpoint
def request_detail(request, fmt: str, code: str):
    if request.method != "GET":
        raise Open311Error(405, _("Use GET."))
    _limit(request, _client(request, required=False))
    rows = _rows(Report.objects.filter(code=code, hidden_at__isnull=True))
    if not rows:
        raise Open311Error(
            404, _("service_request_id %(code)s was not found.") % {"code": code[:20]}
        )
    return _render(fmt, _entries(rows), root="service_requests", item="request")


@endpoint
def token(request, fmt: str, token: str):
    if request.method != "GET":
        raise Open311Error(405, _("Use GET."))
    _limit(request, _client(request, required=False))
    report = None
    with contextlib.suppress(ValidationError):  # not a UUID: unknown
        report = Report.objects.filter(token=token).only("code", "token").first()
    if report is None:
        raise Open311Error(404, _("token %(token)s was not found.") % {"token": token[:64]})
    return _render(
        fmt,
        [{"service_request_id": report.code, "token": str(report.token)}],
        root="service_requests",
        item="request",
    )


def _attributes(post) -> dict:
    """attribute[code]=value and attribute[code][]=value (several values)."""
    answers: dict = {}
    for key, values in post.lists():
        if not key.startswith("attribute[") or "]" not in key:
            continue
        code = key[len("attribute[") : key.index("]")]
        if key.endswith("[]"):
            answers[code] = values
        else:
            answers[code] = values[-1]
    return answers


def _post_float(post, name: str) -> float | None:
    raw = post.get(name, "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise Open311Error(400, _("%(name)s must be a number.") % {"name": name}) from None


FIELD_NAMES = {
    "latitude": "lat",
    "place": "lat/long, address_string",
    "commune": "commune",
    "contact_email": "email",
    "contact_phone": "phone",
    "contact_name": "first_name",
}


def _post_request(request, fmt: str):
    client = _client(request, required=True)
    _limit(request, client)
    post = request.POST
    code = post.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    category = Category.objects.filter(is_active=True, code=code).first()
    if category is None:
        raise Open311Error(400, _("service_code %(code)s was not found.") % {"code": code[:50]})
    latitude, longitude = _post_float(post, "lat"), _post_float(post, "long")
    address = post.get("address_string", "").strip()
    uploaded = request.FILES.getlist("media")
    # A photo may carry the position itself (EXIF): the service reads it.
    unplaced = latitude is None and longitude is None and not address
    if unplaced and not post.get("address_id") and not uploaded:
        raise Open311Error(400, _("lat/long, address_string, or address_id required."))
    files = [services.Upload(f.name, f.read()) for f in uploaded]
    key = request.headers.get("Idempotency-Key", "")[:64]
    draft = services.Draft(
        category=category,
        description=post.get("description", ""),
        latitude=latitude,
        longitude=longitude,
        place_source=Report.PlaceSource.DEVICE,
        address=address or post.get("address_id", ""),
        commune_code=post.get("commune", ""),
        contact_name=" ".join(
            filter(None, [post.get("first_name", ""), post.get("last_name", "")])
        ),
        contact_email=post.get("email", ""),
        contact_phone=post.get("phone", ""),
        attributes=_attributes(post),
        files=files,
        source=Report.Source.OPEN311,
        client=client,
        device_id=post.get("device_id", ""),
        media_url=post.get("media_url", ""),
        submission_key=f"open311:{client.pk}:{key}" if key else "",
    )
    try:
        report = services.submit(draft)
    except ValidationError as exc:
        errors = [
            {"code": 400, "description": f"{FIELD_NAMES.get(field, field)}: {message}"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
        return _render(fmt, errors, root="errors", item="error", status=400)
    return _render(
        fmt,
        [
            {
                "service_request_id": report.code,
                "token": str(report.token),
                "service_notice": _("Answer due by %(date)s.")
                % {"date": f"{timezone.localtime(report.due_at):%d/%m/%Y %H:%M}"},
                "account_id": "",
            }
        ],
        root="service_requests",
        item="request",
    )


def not_found(request, rest: str = ""):
    fmt = "xml" if rest.endswith(".xml") else "json"
    with translation.override("en" if request.GET.get("locale", "").startswith("en") else "vi"):
        return _cross_origin(
            _error(
                fmt,
                404,
                _("No Open311 resource here. Start from %(url)s.")
                % {"url": _absolute(reverse("open311:discovery", args=["json"]))},
            )
        )
