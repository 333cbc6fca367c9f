from django.contrib import admin

from egov.documents.models import DocumentRegister, ExchangeMessage, OfficialDocument


class ReadOnly(admin.ModelAdmin):
    """Read-only: every change goes through the staff pages' services, which keep the audit
    trail and the numbering rules."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentRegister)
class DocumentRegisterAdmin(ReadOnly):
    list_display = ["name", "agency", "direction", "kind", "is_active"]
    list_filter = ["direction", "kind", "is_active"]


@admin.register(OfficialDocument)
class OfficialDocumentAdmin(ReadOnly):
    list_display = ["reference", "subject", "agency", "direction", "state", "document_date"]
    list_filter = ["direction", "state", "document_type"]
    search_fields = ["reference", "exchange_id"]
    exclude = ["search_text"]


@admin.register(ExchangeMessage)
class ExchangeMessageAdmin(ReadOnly):
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
