from django.urls import path

from egov.exchange import staff_views

app_name = "exchange_staff"

urlpatterns = [
    path("", staff_views.overview, name="overview"),
    path("quyen/", staff_views.rights, name="rights"),
    path("quyen/<int:pk>/thu-hoi/", staff_views.revoke, name="revoke"),
    path("nhat-ky/", staff_views.log, name="log"),
]
