"""Open311 GeoReport v2, under /open311/v2/ (docs/feedback.md)."""

from django.urls import path, re_path
from django.views.generic import RedirectView

from egov.core import nul
from egov.feedback import open311

FORMAT = r"\.(?P<fmt>json|xml)$"

app_name = "open311"
urlpatterns = [
    path(
        "",
        RedirectView.as_view(pattern_name="open311:discovery", permanent=False),
        {"fmt": "json"},
        name="root",
    ),
    re_path(r"^discovery" + FORMAT, open311.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, open311.service_list, name="services"),
    re_path(r"^services/(?P<code>[^/]{1,50})" + FORMAT, open311.service_definition, name="service"),
    re_path(r"^requests" + FORMAT, open311.requests, name="requests"),
    re_path(r"^requests/(?P<code>[^/]{1,20})" + FORMAT, open311.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/]{1,64})" + FORMAT, open311.token, name="token"),
    re_path(r"^(?P<rest>.*)$", open311.not_found, name="not_found"),
]

# Every answer here is in the spec's error format, a NUL included (the views refuse it).
for name in ("discovery", "services", "service", "requests", "request", "token", "not_found"):
    nul.answered_by_the_view(f"open311:{name}")
