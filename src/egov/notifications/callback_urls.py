"""Providers' delivery reports, under /notifications/callbacks/ (no session, no CSRF token)."""

from django.urls import path

from egov.notifications import callbacks

app_name = "notifications_callbacks"
urlpatterns = [
    path("esms/", callbacks.esms_report, name="esms"),
    path("zalo/", callbacks.zalo_webhook, name="zalo"),
    path("email-bounce/", callbacks.email_bounce, name="email_bounce"),
]
