"""Read-only in the admin: payments change only through the services (and their audit trail)."""

from django.contrib import admin

from egov.payments.models import Payment, PaymentOrder, Refund, Statement


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentOrder)
class PaymentOrderAdmin(ReadOnly):
    list_display = ["dossier", "amount", "paid_amount", "status", "assessed_at"]
    list_filter = ["status"]


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ["receipt_number", "txn_ref", "amount", "method", "status", "paid_at"]
    list_filter = ["method", "status", "gateway"]
    search_fields = ["txn_ref", "receipt_number", "gateway_transaction_no"]


@admin.register(Refund)
class RefundAdmin(ReadOnly):
    list_display = ["payment", "amount", "reason", "refunded_at"]


@admin.register(Statement)
class StatementAdmin(ReadOnly):
    list_display = ["gateway", "day", "filename", "imported_at"]
