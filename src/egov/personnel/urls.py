"""The personnel pages, under /staff/personnel/."""

from django.urls import path

from egov.personnel import views

app_name = "personnel"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_person, name="new"),
    path("me/", views.me, name="me"),
    path("due/<str:what>/", views.due, name="due"),
    path("staffing/", views.staffing, name="staffing"),
    path("salaries.xlsx", views.salaries, name="salaries"),
    path("quotas/", views.quotas, name="quotas"),
    path("import/", views.import_people, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("export.xlsx", views.export_people, name="export"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/<uuid:public_id>/", views.correction, name="correction"),
    path("<uuid:public_id>/", views.person, name="person"),
    path("<uuid:public_id>/edit/", views.edit_person, name="edit"),
    path("<uuid:public_id>/events/new/", views.new_event, name="new_event"),
    path("<uuid:public_id>/events/<int:pk>/void/", views.void_event, name="void_event"),
    path("<uuid:public_id>/account/", views.link_account, name="account"),
    path("<uuid:public_id>/<str:what>/new/", views.add_line, name="add_line"),
    path("<uuid:public_id>/<str:what>/<int:pk>/remove/", views.remove_line, name="remove_line"),
]
