from django.urls import path

from egov.exchange import staff_views

app_name = "exchange_staff"

urlpatterns = [
    path("", staff_views.overview, name="overview"),
    path("thanh-vien/", staff_views.members, name="members"),
    path("he-thong/", staff_views.clients, name="clients"),
    path("he-thong/<int:pk>/tam-dung/", staff_views.suspend, name="suspend"),
    path("dich-vu/", staff_views.services_page, name="services"),
    path("dich-vu/<int:pk>/rut/", staff_views.withdraw, name="withdraw"),
    path("dang-ky-su-kien/", staff_views.subscriptions, name="subscriptions"),
    path("quyen/", staff_views.rights, name="rights"),
    path("quyen/<int:pk>/thu-hoi/", staff_views.revoke, name="revoke"),
    path("nhat-ky/", staff_views.log, name="log"),
]
