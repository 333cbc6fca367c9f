"""Citizens' payment pages, under /thanh-toan/."""

from django.urls import path

from egov.payments import views

app_name = "payments"
urlpatterns = [
    path("ho-so/<uuid:public_id>/", views.pay, name="pay"),
    path("ket-qua/", views.payment_return, name="return"),
    path("bien-lai/<uuid:public_id>/", views.receipt, name="receipt"),
]
