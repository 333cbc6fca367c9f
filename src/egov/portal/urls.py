from django.urls import path

from egov.portal import (
    account_views,
    catalog_views,
    dossier_views,
    profile_views,
    signup_views,
    views,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi-hanh-chinh/", views.units, name="units"),
    path("co-quan/", views.agencies, name="agencies"),
    path("thu-tuc/", catalog_views.procedure_search, name="procedures"),
    path(
        "thu-tuc/khong-phu-thuoc-dia-gioi/",
        catalog_views.boundary_free_list,
        name="boundary_free",
    ),
    path("thu-tuc/<str:code>/", catalog_views.procedure_detail, name="procedure"),
    path(
        "thu-tuc/<str:code>/mau/<int:pk>/",
        catalog_views.procedure_template,
        name="procedure_template",
    ),
    path("thu-tuc/<str:code>/nop-truc-tuyen/", dossier_views.start, name="procedure_form"),
    path("ho-so/", dossier_views.my_dossiers, name="my_dossiers"),
    path("ho-so/<uuid:public_id>/", dossier_views.detail, name="dossier"),
    path("ho-so/<uuid:public_id>/to-khai/", dossier_views.declare, name="dossier_form"),
    path(
        "ho-so/<uuid:public_id>/to-khai/co-so-du-lieu/",
        dossier_views.take_from_registry,
        name="dossier_take_from_registry",
    ),
    path("ho-so/<uuid:public_id>/giay-to/", dossier_views.documents, name="dossier_documents"),
    path(
        "ho-so/<uuid:public_id>/giay-to/dung-lai/",
        dossier_views.reuse_document,
        name="dossier_reuse_document",
    ),
    path(
        "ho-so/<uuid:public_id>/giay-to/<int:attachment_id>/xoa/",
        dossier_views.remove_document,
        name="dossier_remove_document",
    ),
    path("ho-so/<uuid:public_id>/nhan-ket-qua/", dossier_views.delivery, name="dossier_delivery"),
    path("ho-so/<uuid:public_id>/kiem-tra/", dossier_views.review, name="dossier_review"),
    path("ho-so/<uuid:public_id>/rut/", dossier_views.withdraw, name="dossier_withdraw"),
    path(
        "ho-so/<uuid:public_id>/bo-sung/", dossier_views.send_supplement, name="dossier_supplement"
    ),
    path(
        "ho-so/<uuid:public_id>/tep/<int:attachment_id>/",
        dossier_views.download,
        name="dossier_file",
    ),
    path("ho-so/<uuid:public_id>/danh-gia/", dossier_views.rate, name="dossier_rating"),
    path("tra-cuu/", dossier_views.track, name="track"),
    path("tai-khoan/dang-ky/", signup_views.sign_up, name="sign_up"),
    path(
        "tai-khoan/dang-ky/<uuid:public_id>/", signup_views.sign_up_confirm, name="sign_up_confirm"
    ),
    path("tai-khoan/quen-mat-khau/", signup_views.reset_request, name="reset_request"),
    path("tai-khoan/dat-lai-mat-khau/", signup_views.reset_confirm, name="reset_confirm"),
    path("tai-khoan/thong-tin/", profile_views.profile, name="profile"),
    path("tai-khoan/thong-tin/lien-he/", profile_views.contact_start, name="contact_start"),
    path(
        "tai-khoan/thong-tin/lien-he/<uuid:public_id>/",
        profile_views.contact_confirm,
        name="contact_confirm",
    ),
    path("tai-khoan/ai-tra-cuu/", account_views.data_lookups, name="data_lookups"),
    path("tai-khoan/khoa-api/", account_views.access_tokens, name="access_tokens"),
    path("tai-khoan/khoa-api/<int:pk>/thu-hoi/", account_views.revoke_token, name="revoke_token"),
]
