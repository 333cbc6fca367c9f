from django.urls import path

from egov.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi-hanh-chinh/", views.units, name="units"),
    path("co-quan/", views.agencies, name="agencies"),
]
