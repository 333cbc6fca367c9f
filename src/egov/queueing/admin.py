from django.contrib import admin

from egov.core.admin import ReadOnlyAdmin
from egov.queueing.models import DeskField, Ticket


@admin.register(DeskField)
class DeskFieldAdmin(admin.ModelAdmin):
    """Which fields a desk's kiosk offers, and their letters."""

    list_display = ["desk", "letter", "field", "position"]
    list_filter = ["desk"]
    raw_id_fields = ["desk"]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    """Read-only: officers call and close tickets on their queue page, which keeps the audit
    trail."""

    list_display = ["label", "desk", "day", "status", "counter", "issued_at", "called_at"]
    list_filter = ["status", "day"]
    search_fields = ["label"]
