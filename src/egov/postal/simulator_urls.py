from django.urls import path

from egov.postal import simulator

app_name = "postal_simulator"
urlpatterns = [
    path("", simulator.console, name="console"),
    path("v1/orders", simulator.create_order, name="orders"),
    path("orders/<str:tracking>/advance/", simulator.advance, name="advance"),
]
