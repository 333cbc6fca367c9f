from django.contrib import admin

from egov.core.admin import ReadOnlyAdmin
from egov.documents.models import DocumentRegister, ExchangeMessage, OfficialDocument


@admin.register(DocumentRegister)
class DocumentRegisterAdmin(ReadOnlyAdmin):
    list_display = ["name", "agency", "direction", "kind", "is_active"]
    list_filter = ["direction", "kind", "is_active"]


@admin.register(OfficialDocument)
class OfficialDocumentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "subject", "agency", "direction", "state", "document_date"]
    list_filter = ["direction", "state", "document_type"]
    search_fields = ["reference", "exchange_id"]
    exclude = ["search_text"]


@admin.register(ExchangeMessage)
class ExchangeMessageAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "direction",
        "kind",
        "status_code",
        "from_code",
        "to_code",
        "state",
        "attempts",
    ]
    list_filter = ["direction", "kind", "state"]
    search_fields = ["exchange_id", "axis_id"]
    exclude = ["payload"]
