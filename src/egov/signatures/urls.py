from django.urls import path

from egov.signatures import views

app_name = "signatures"
urlpatterns = [
    path("", views.verify, name="verify"),
    path("<str:code>/", views.document, name="document"),
]
