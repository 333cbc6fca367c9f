from django.urls import path

from egov.documents import views

app_name = "documents_public"
urlpatterns = [path("<str:token>/", views.public_copy, name="copy")]
