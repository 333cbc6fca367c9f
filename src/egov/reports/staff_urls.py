"""The leaders' dashboard, under /staff/reports/."""

from django.urls import path

from egov.reports import views

app_name = "reports_staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("excel/", views.dashboard_excel, name="excel"),
]
