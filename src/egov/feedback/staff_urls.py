"""Staff pages of citizen reports, under /staff/feedback/."""

from django.urls import path

from egov.feedback import staff_views

app_name = "feedback_staff"
urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("linh-vuc/", staff_views.categories, name="categories"),
    path("linh-vuc/moi/", staff_views.category_edit, name="category_new"),
    path("linh-vuc/<int:pk>/", staff_views.category_edit, name="category"),
    path("open311/", staff_views.api_clients, name="api_clients"),
    path("open311/<int:pk>/thu-hoi/", staff_views.api_client_revoke, name="api_client_revoke"),
    path("tep/<uuid:public_id>/", staff_views.media_file, name="media"),
    path("tep/<uuid:public_id>/anh-nho/", staff_views.media_thumbnail, name="thumbnail"),
    path("<str:code>/", staff_views.report, name="report"),
    path("<str:code>/xu-ly/", staff_views.act, name="act"),
]
