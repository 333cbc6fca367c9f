from django.urls import path

from egov.backoffice import (
    calendar_views,
    catalog_builder_views,
    catalog_parts_views,
    catalog_result_views,
    catalog_views,
    consultation_views,
    dossier_views,
    views,
)

app_name = "backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/setup-code/", views.issue_setup_code, name="issue_setup_code"),
    path("organizations/import/", views.organizations_import, name="organizations_import"),
    path(
        "organizations/export/<str:kind>.csv",
        views.organizations_export,
        name="organizations_export",
    ),
    path("catalog/", catalog_views.catalog_list, name="catalog"),
    path("catalog/new/", catalog_views.catalog_new, name="catalog_new"),
    path("catalog/import/", catalog_views.catalog_import, name="catalog_import"),
    path("catalog/export.xlsx", catalog_views.catalog_export, name="catalog_export"),
    path("catalog/<str:code>/", catalog_views.catalog_procedure, name="catalog_procedure"),
    path("catalog/<str:code>/draft/", catalog_views.catalog_start_draft, name="catalog_draft"),
    path("catalog/<str:code>/copy/", catalog_views.catalog_copy, name="catalog_copy"),
    path("catalog/<str:code>/edit/", catalog_views.catalog_edit, name="catalog_edit"),
    path("catalog/<str:code>/preview/", catalog_views.catalog_preview, name="catalog_preview"),
    path(
        "catalog/<str:code>/form/",
        catalog_builder_views.form_builder,
        name="catalog_form_builder",
    ),
    path("catalog/<str:code>/papers/", catalog_parts_views.papers, name="catalog_papers"),
    path(
        "catalog/<str:code>/papers/new-type/",
        catalog_parts_views.new_paper_type,
        name="catalog_new_paper_type",
    ),
    path(
        "catalog/<str:code>/result/",
        catalog_result_views.result_template,
        name="catalog_result_template",
    ),
    path(
        "catalog/<str:code>/result/preview.pdf",
        catalog_result_views.result_template_pdf,
        name="catalog_result_template_pdf",
    ),
    path(
        "catalog/<str:code>/result/remove/",
        catalog_result_views.result_template_remove,
        name="catalog_result_template_remove",
    ),
    path("catalog/<str:code>/fees/", catalog_parts_views.fee_rules, name="catalog_fees"),
    path(
        "catalog/<str:code>/workflow/",
        catalog_parts_views.workflow_steps,
        name="catalog_workflow",
    ),
    path(
        "catalog/<str:code>/form/preview/",
        catalog_builder_views.form_builder_preview,
        name="catalog_form_builder_preview",
    ),
    path("catalog/<str:code>/publish/", catalog_views.catalog_publish, name="catalog_publish"),
    path(
        "catalog/<str:code>/boundary-free/",
        catalog_views.catalog_boundary_free,
        name="catalog_boundary_free",
    ),
    path("dossiers/", dossier_views.queue, name="dossiers"),
    path("dossiers/counter/", dossier_views.intake_start, name="intake_start"),
    path(
        "dossiers/counter/<int:version_id>/<int:agency_id>/",
        dossier_views.intake,
        name="intake",
    ),
    path("dossiers/register/", dossier_views.register, name="register"),
    path(
        "dossiers/consultations/",
        consultation_views.consultation_list,
        name="consultations",
    ),
    path(
        "dossiers/consultations/<int:pk>/",
        consultation_views.consultation_detail,
        name="consultation",
    ),
    path(
        "dossiers/consultations/<int:pk>/file/",
        consultation_views.consultation_file,
        name="consultation_file",
    ),
    path("dossiers/<uuid:public_id>/", dossier_views.detail, name="dossier"),
    path(
        "dossiers/<uuid:public_id>/control-sheet.pdf",
        dossier_views.control_sheet,
        name="dossier_control_sheet",
    ),
    path(
        "dossiers/<uuid:public_id>/files/<int:attachment_id>/",
        dossier_views.download,
        name="dossier_file",
    ),
    path("dossiers/<uuid:public_id>/<str:action>/", dossier_views.act, name="dossier_act"),
    path("calendar/", calendar_views.calendar_days_page, name="calendar"),
    path(
        "calendar/<int:pk>/withdraw/",
        calendar_views.calendar_day_withdraw,
        name="calendar_withdraw",
    ),
    path("audit/", views.audit_list, name="audit"),
    path("audit/<int:pk>/", views.audit_detail, name="audit_event"),
]
