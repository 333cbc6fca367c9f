"""Citizen pages, under /thong-bao/."""

from django.urls import path

from egov.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("cai-dat/", views.preferences, name="preferences"),
]
