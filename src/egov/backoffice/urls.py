from django.urls import path

from egov.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency"),
    path("people/", views.people, name="people"),
    path("organizations/import/", views.organizations_import, name="organizations_import"),
    path(
        "organizations/export/<str:kind>.csv",
        views.organizations_export,
        name="organizations_export",
    ),
    path("audit/", views.audit_list, name="audit"),
    path("audit/<int:seq>/", views.audit_detail, name="audit_event"),
]
