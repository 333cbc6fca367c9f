from django.urls import path

from egov.signatures import views

app_name = "signatures_staff"
urlpatterns = [
    path("", views.certificate_list, name="certificates"),
    path("import/", views.certificate_import, name="import"),
    path("sign/", views.sign_document, name="sign"),
    path("<int:pk>/", views.certificate_detail, name="certificate"),
    path("<int:pk>/seal/", views.certificate_seal, name="seal"),
    path("<int:pk>/seal.png", views.certificate_seal_image, name="seal_image"),
]
