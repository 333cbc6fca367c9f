from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from django_otp.admin import OTPAdminSite

from egov.api import api
from egov.core.views import healthz

# A database or cache that cannot be reached answers 503 with Retry-After (egov.core.outage).
handler404 = "egov.core.views.not_found"
handler500 = "egov.core.views.server_error"

if settings.EGOV_STAFF_REQUIRE_2FA:
    # The Django admin is a staff site too: the same second factor guards it.
    admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("egov.accounts.urls")),
    path("staff/notifications/", include("egov.notifications.staff_urls")),
    path("notifications/callbacks/", include("egov.notifications.callback_urls")),
    path("staff/signatures/", include("egov.signatures.staff_urls")),
    path("staff/queue/", include("egov.queueing.staff_urls")),
    path("staff/postal/", include("egov.postal.urls")),
    path("staff/payments/", include("egov.payments.staff_urls")),
    path("staff/reports/", include("egov.reports.staff_urls")),
    path("staff/indicators/", include("egov.indicators.urls")),
    path("staff/documents/", include("egov.documents.urls")),
    path("staff/personnel/", include("egov.personnel.urls")),
    path("staff/feedback/", include("egov.feedback.staff_urls")),
    path("staff/so-hoa/", include("egov.digitization.staff_urls")),
    path("staff/national-portal/", include("egov.national_portal.urls")),
    path("staff/exchange/", include("egov.exchange.staff_urls")),
    path("staff/", include("egov.backoffice.urls")),
    # Answers 404 unless EGOV_POSTAL_SIMULATOR is on (never in production).
    path("postal-simulator/", include("egov.postal.simulator_urls")),
    path("xac-thuc/", include("egov.signatures.urls")),
    path("thong-bao/", include("egov.notifications.urls")),
    path("so-thu-tu/", include("egov.queueing.urls")),
    path("thanh-toan/", include("egov.payments.urls")),
    path("thong-ke/", include("egov.reports.urls")),
    path("van-ban/", include("egov.documents.public_urls")),
    path("phan-anh/", include("egov.feedback.urls")),
    path("kho-giay-to/", include("egov.digitization.urls")),
    path("open311/v2/", include("egov.feedback.open311_urls")),
    path("exchange/", include("egov.exchange.urls")),
    path("", include("egov.portal.urls")),
]

if settings.EGOV_PAYMENT_SIMULATOR:
    # Development and the demo only: production settings never turn it on (docs/payments.md).
    urlpatterns.insert(0, path("gia-lap-vnpay/", include("egov.payments.simulator_urls")))
    urlpatterns.insert(0, path("gia-lap-paygov/", include("egov.payments.paygov_simulator_urls")))
