from django.contrib import admin

from egov.core.admin import ReadOnlyAdmin
from egov.postal.models import Shipment, ShipmentEvent


class ShipmentEventInline(admin.TabularInline):
    model = ShipmentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["status", "occurred_at", "recorded_at", "event_id", "applied", "note"]


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    """Read-only: shipments change through the services (the desk, the operator's reports)."""

    list_display = ["tracking_number", "dossier", "direction", "status", "agency", "created_at"]
    list_filter = ["direction", "status"]
    search_fields = ["tracking_number", "dossier__code"]
    inlines = [ShipmentEventInline]
