"""Mounted at /gia-lap-paygov/ only when EGOV_PAYMENT_SIMULATOR is on (egov/urls.py)."""

from django.urls import path

from egov.payments import paygov_simulator

app_name = "paygov_simulator"
urlpatterns = [
    path("thanh-toan/", paygov_simulator.pay, name="pay"),
    path("api/hoan-tien/", paygov_simulator.refund, name="refund"),
]
