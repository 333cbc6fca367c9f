from django.urls import path

from egov.postal import views

app_name = "postal"
urlpatterns = [
    path("dossiers/<uuid:public_id>/hand-over/", views.hand_over, name="hand_over"),
]
