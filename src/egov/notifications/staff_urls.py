"""Staff pages, under /staff/notifications/."""

from django.urls import path

from egov.notifications import views

app_name = "notifications_staff"
urlpatterns = [
    path("", views.delivery_log, name="log"),
    path("<int:pk>/", views.notification_detail, name="detail"),
    path("<int:pk>/resend/", views.resend, name="resend"),
    path("about/<str:object_type>/<str:object_id>/", views.object_log, name="object_log"),
    path("templates/", views.template_list, name="templates"),
    path(
        "templates/<str:event>/<str:channel>/<str:language>/",
        views.template_edit,
        name="template_edit",
    ),
]
