"""The gateway's address: parses the HTTP call, hands it to egov.exchange.gateway, answers."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from egov.core.problems import problem
from egov.exchange import gateway


@csrf_exempt  # systems call here, signed per call; no browser session is involved
def gateway_call(request: HttpRequest, service: str, path: str = "") -> HttpResponse:
    query = request.META.get("QUERY_STRING", "")
    call = gateway.Call(
        service_code=service,
        method=request.method or "GET",
        path=path + (f"?{query}" if query else ""),
        body=request.body,
        token=request.META.get(gateway.TOKEN_HEADER, ""),
        headers={name.lower(): value for name, value in request.headers.items()},
    )
    try:
        answer = gateway.handle(call)
    except gateway.Refused as refusal:
        return problem(request, refusal.status, refusal.title, refusal.detail)
    response = HttpResponse(answer.body, status=answer.status)
    for name, value in answer.headers.items():
        response[name] = value
    return response
