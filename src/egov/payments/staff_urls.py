"""Staff pages, under /staff/payments/."""

from django.urls import path

from egov.payments import staff_views

app_name = "payments_staff"
urlpatterns = [
    path("dossiers/<uuid:public_id>/counter/", staff_views.counter_payment, name="counter"),
    path("<uuid:public_id>/refund/", staff_views.refund, name="refund"),
    path("<uuid:public_id>/receipt/", staff_views.receipt, name="receipt"),
    path("statements/", staff_views.statements, name="statements"),
    path("statements/<int:pk>/", staff_views.statement, name="statement"),
]
