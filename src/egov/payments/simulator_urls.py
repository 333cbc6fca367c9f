"""Mounted at /gia-lap-vnpay/ only when EGOV_PAYMENT_SIMULATOR is on (egov/urls.py)."""

from django.urls import path

from egov.payments import simulator

app_name = "payments_simulator"
urlpatterns = [
    path("paymentv2/vpcpay.html", simulator.pay, name="pay"),
    path("merchant_webapi/api/transaction", simulator.api, name="api"),
]
