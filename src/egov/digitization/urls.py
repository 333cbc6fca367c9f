from django.urls import path

from egov.digitization import views

app_name = "digitization"
urlpatterns = [
    path("", views.store, name="store"),
    path("them/", views.add, name="add"),
    path("<uuid:paper_id>/", views.download, name="download"),
]
