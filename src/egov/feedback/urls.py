"""Public pages of citizen reports, under /phan-anh/."""

from django.urls import path

from egov.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.index, name="index"),
    path("gui/", views.submit, name="submit"),
    path("cua-toi/", views.mine, name="mine"),
    path("tep/<uuid:public_id>/", views.media_file, name="media"),
    path("tep/<uuid:public_id>/anh-nho/", views.media_thumbnail, name="thumbnail"),
    path("<str:code>/", views.report, name="report"),
    path("<str:code>/nguoi-gui/<str:signature>/", views.reporter, name="reporter"),
]
