"""The desk officer's pages, under /staff/queue/."""

from django.urls import path

from egov.queueing import staff_views

app_name = "queueing_staff"
urlpatterns = [
    path("", staff_views.desks, name="desks"),
    path("<int:desk_id>/", staff_views.desk, name="desk"),
    path("<int:desk_id>/counter/", staff_views.set_counter, name="counter"),
    path("<int:desk_id>/call/", staff_views.call_next, name="call"),
    path("<int:desk_id>/tickets/<uuid:public_id>/<str:action>/", staff_views.act, name="act"),
]
