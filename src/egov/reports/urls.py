"""Public statistics pages, under /thong-ke/."""

from django.urls import path

from egov.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.public, name="public"),
    path("excel/", views.public_excel, name="public_excel"),
]
