from django.urls import path

from egov.exchange import views

app_name = "exchange"

urlpatterns = [
    path("gateway/<slug:service>/", views.gateway_call, name="gateway_root"),
    path("gateway/<slug:service>/<path:path>", views.gateway_call, name="gateway"),
]
