"""Public pages, under /so-thu-tu/ (queue numbers)."""

from django.urls import path

from egov.queueing import views

app_name = "queueing"
urlpatterns = [
    path("<int:desk_id>/", views.kiosk, name="kiosk"),
    path("<int:desk_id>/phieu/<uuid:public_id>/", views.ticket, name="ticket"),
    path("<int:desk_id>/man-hinh/", views.display, name="display"),
]
