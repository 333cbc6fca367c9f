from django.urls import path

from egov.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency"),
    path("people/", views.people, name="people"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/<int:seq>/", views.audit_detail, name="audit_event"),
]
