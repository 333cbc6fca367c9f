from django.urls import path

from egov.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_view, name="search"),
    path("new/", views.new, name="new"),
    path("paper/", views.paper, name="paper"),
    path("registers/", views.registers_view, name="registers"),
    path("registers/<int:agency_id>/profile/", views.save_profile, name="save_profile"),
    path("registers/<int:agency_id>/add/", views.add_register, name="add_register"),
    path("registers/export/<int:register_id>.<str:fmt>", views.export, name="export"),
    path("exchange/", views.exchange_log, name="exchange"),
    path("exchange/<int:message_id>/retry/", views.retry_message, name="retry"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/files/<int:file_id>/", views.download, name="download"),
    path("<uuid:public_id>/<str:action>/", views.act, name="act"),
]
