from django.urls import path

from egov.portal import catalog_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi-hanh-chinh/", views.units, name="units"),
    path("co-quan/", views.agencies, name="agencies"),
    path("thu-tuc/", catalog_views.procedure_search, name="procedures"),
    path("thu-tuc/<str:code>/", catalog_views.procedure_detail, name="procedure"),
    path(
        "thu-tuc/<str:code>/mau/<int:pk>/",
        catalog_views.procedure_template,
        name="procedure_template",
    ),
    path("thu-tuc/<str:code>/nop-truc-tuyen/", catalog_views.procedure_form, name="procedure_form"),
]
