from django.contrib import admin

from egov.core.admin import ReadOnlyAdmin
from egov.signatures.models import SignedDocument, SigningCertificate


@admin.register(SigningCertificate)
class SigningCertificateAdmin(ReadOnlyAdmin):
    list_display = ["label", "holder", "agency", "user", "not_after", "key_storage", "status"]
    list_filter = ["holder", "key_storage", "status"]
    search_fields = ["label", "common_name", "serial_number", "fingerprint"]
    exclude = ["certificate_der", "encrypted_key", "encrypted_pin", "seal_image"]


@admin.register(SignedDocument)
class SignedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["code", "reference_type", "reference_id", "agency", "level", "signed_at"]
    list_filter = ["level", "reference_type"]
    search_fields = ["code", "sha256", "reference_id", "title"]
