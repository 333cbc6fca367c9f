from django.contrib import admin

from egov.queueing.models import DeskField, Ticket


@admin.register(DeskField)
class DeskFieldAdmin(admin.ModelAdmin):
    """Which fields a desk's kiosk offers, and their letters."""

    list_display = ["desk", "letter", "field", "position"]
    list_filter = ["desk"]
    raw_id_fields = ["desk"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: officers call and close tickets on their queue page, which keeps the audit
    trail."""

    list_display = ["label", "desk", "day", "status", "counter", "issued_at", "called_at"]
    list_filter = ["status", "day"]
    search_fields = ["label"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
