"""Read-only in the admin: payments change only through the services (and their audit trail)."""

from django.contrib import admin

from egov.core.admin import ReadOnlyAdmin
from egov.payments.models import Payment, PaymentOrder, Refund, Statement


@admin.register(PaymentOrder)
class PaymentOrderAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "amount", "paid_amount", "status", "assessed_at"]
    list_filter = ["status"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "receipt_number",
        "txn_ref",
        "amount",
        "method",
        "status",
        "duplicate",
        "paid_at",
    ]
    list_filter = ["method", "status", "gateway", "duplicate"]
    search_fields = ["txn_ref", "receipt_number", "gateway_transaction_no"]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["payment", "amount", "reason", "status", "attempts", "refunded_at"]
    list_filter = ["status", "gateway"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["gateway", "day", "filename", "imported_at"]
