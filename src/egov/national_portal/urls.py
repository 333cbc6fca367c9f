"""Staff pages, under /staff/national-portal/."""

from django.urls import path

from egov.national_portal import views

app_name = "national_portal"
urlpatterns = [
    path("", views.sync, name="sync"),
    path("messages/<int:pk>/resend/", views.resend, name="resend"),
    path("mapping/", views.mappings, name="mappings"),
]
