"""The service index, under /staff/indicators/."""

from django.urls import path

from egov.indicators import assessment_views, dashboard_views, views

app_name = "indicators"
urlpatterns = [
    path("", views.index_page, name="index"),
    path("ranking/", views.ranking_page, name="ranking"),
    path("excel/", views.excel_export, name="excel"),
    path("dossiers/", views.dossiers_page, name="dossiers"),
    path("enter/<str:code>/", views.enter, name="enter"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("assessment/", assessment_views.assessment_page, name="assessment"),
    path("assessment/excel/", assessment_views.assessment_excel, name="assessment_excel"),
    path(
        "assessment/enter/<str:code>/", assessment_views.assessment_enter, name="assessment_enter"
    ),
    path("dashboard/live/", dashboard_views.dashboard_live, name="dashboard_live"),
]
