"""The HTTP API at /api/v1/: one NinjaAPI, one router per app, RFC 9457 problem bodies on errors."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from egov.api_contract import complete
from egov.catalog.api import router as catalog_router
from egov.core.nul import NulRefusingParser
from egov.core.problems import field_error, problem
from egov.core.views import unavailable
from egov.digitization.api import router as digitization_router
from egov.documents.api import router as documents_router
from egov.dossiers.api import citizen_router as dossiers_citizen_router
from egov.dossiers.api import router as dossiers_router
from egov.dossiers.staff_api import staff_router as dossiers_staff_router
from egov.exchange.api import router as exchange_router
from egov.indicators.api import router as indicators_router
from egov.national_portal.api import router as national_portal_router
from egov.organizations.api import router as organizations_router
from egov.payments.api import citizen_router as payments_citizen_router
from egov.payments.api import gateway_router as payments_gateway_router
from egov.payments.api import staff_router as payments_staff_router
from egov.personnel.api import router as personnel_router
from egov.postal.api import citizen_router as postal_citizen_router
from egov.postal.api import operator_router as postal_operator_router
from egov.queueing.api import router as queueing_router
from egov.queueing.api import staff_router as queueing_staff_router
from egov.reports.api import router as reports_router
from egov.signatures.api import router as signatures_router

DESCRIPTION = """Public and partner API of the e-government platform. Errors are returned as
`application/problem+json` (RFC 9457) with a translated `title` and `detail`: 400 a malformed
request, 401 no valid token, 403 not allowed, 404 not found (or not yours), 409 changed by
someone else meanwhile, 413 too large, 415 not a form upload, 422 invalid data (the fields are
listed in `errors`), 429 too many requests, 503 briefly unavailable (see `Retry-After`).

## Submitting a dossier, step by step

A citizen's personal access token (created on the portal at `/tai-khoan/khoa-api/`) goes in
`Authorization: Bearer <token>`.

1. Find the procedure and its papers: `GET /api/v1/procedures/1.001193`. Each entry of
   `requirements` has an `id` (to attach a file) and a `code` (stable across versions).
2. Check the answers and see the fees: `POST /api/v1/procedures/1.001193/form-check` with the
   answers as the JSON body.
3. Start the draft, once, whatever the retries:
   ```
   curl -X POST https://…/api/v1/dossiers -H "Authorization: Bearer $TOKEN" \
        -H "Idempotency-Key: 6f1c…" -H "Content-Type: application/json" \
        -d '{"procedure_code": "1.001193", "commune_code": "31117",
             "answers": {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-11-30",
                         "gioi_tinh": "Nam"}}'
   ```
   201 with the draft (`id`); the same key and body again give 200 and the same draft; the same
   key with another body is refused (422). `missing_requirements` lists the papers to attach.
4. Attach each paper as a form upload (multipart/form-data, not JSON):
   ```
   curl -X POST https://…/api/v1/dossiers/$ID/attachments -H "Authorization: Bearer $TOKEN" \
        -F requirement_id=42 -F file=@to-khai.pdf
   ```
   The file's real type, size and malware are checked (422 says what is wrong).
5. Submit: `POST /api/v1/dossiers/$ID/submit`. 422 lists what is still missing; 200 gives the
   dossier `code` printed on the receipt. Follow it with `GET /api/v1/dossiers/$ID` or publicly
   with `GET /api/v1/tracking/{code}`.
"""


class PlatformAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        drawn = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return complete(drawn)


api = PlatformAPI(
    title="eGov platform API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    parser=NulRefusingParser(),
)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = [field_error(error) for error in exc.errors]
    return problem(
        request,
        422,
        _("The request is not valid"),
        _("Correct the fields listed in “errors” and send the request again."),
        errors=errors,
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return problem(request, 404, _("Not found"), _("Nothing exists at this address."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return problem(request, 401, _("Sign-in required"), _("Send valid credentials."))


@api.exception_handler(Throttled)
def on_throttled(request, exc):
    return problem(
        request,
        429,
        _("Too many requests"),
        _("Too many look-ups came from your connection; wait a minute."),
    )


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def on_unavailable(request, exc):
    return unavailable(request, exc)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return problem(
        request,
        413,
        _("The request is too large"),
        _(
            "A request without a file may carry at most %(size)s MB; send files as a form "
            "upload (multipart/form-data) to the addresses that take them."
        )
        % {"size": limit},
    )


@api.exception_handler(MultiPartParserError)
def on_bad_multipart(request, exc):
    return problem(
        request,
        400,
        _("The form upload cannot be read"),
        _(
            "Send a well-formed multipart/form-data body: its Content-Type header must carry "
            "the boundary that separates the parts (HTTP libraries add it when you give them "
            "the file; do not set the header yourself)."
        ),
    )


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request, exc):
    # Too many fields or files, a forged host or session: nothing the client can fix but that.
    return problem(
        request,
        400,
        _("The request is not valid"),
        _("The request breaks a limit of the platform; send a smaller, well-formed request."),
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    # django-ninja wraps whatever the body parser raises in a 400 "Cannot parse request body".
    if isinstance(exc.__cause__, ValidationError):
        return on_validation_error(request, exc.__cause__)
    if isinstance(exc.__cause__, ValueError):
        return problem(
            request,
            400,
            _("The request body is not valid JSON"),
            _("Send the body as JSON encoded in UTF-8."),
        )
    answer = problem(request, exc.status_code, str(exc))
    if exc.status_code == 503:  # a service behind us (a gateway) is away: say when to retry
        answer["Retry-After"] = str(settings.EGOV_RETRY_AFTER_SECONDS)
    return answer


api.add_router("/", organizations_router)
api.add_router("/", catalog_router)
api.add_router("/", dossiers_router)
api.add_router("/", dossiers_citizen_router)
api.add_router("/", dossiers_staff_router)
api.add_router("/", signatures_router)
api.add_router("/", queueing_router)
api.add_router("/", queueing_staff_router)
api.add_router("/", postal_citizen_router)
api.add_router("/", postal_operator_router)
api.add_router("/", payments_citizen_router)
api.add_router("/", payments_gateway_router)
api.add_router("/", payments_staff_router)
api.add_router("/", reports_router)
api.add_router("/", documents_router)
api.add_router("/", national_portal_router)
api.add_router("/", personnel_router)
api.add_router("/", indicators_router)
api.add_router("/", digitization_router)
api.add_router("/", exchange_router)
