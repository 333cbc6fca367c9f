from django.urls import path

from egov.digitization import views

app_name = "digitization_staff"
urlpatterns = [
    path("", views.report, name="report"),
    path("ho-so/<uuid:public_id>/", views.digitise, name="dossier"),
    path("ho-so/<uuid:public_id>/giay-to/<uuid:paper_id>/", views.staff_paper, name="paper"),
]
