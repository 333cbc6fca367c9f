from django.contrib import admin

from egov.core.models import AuditEvent, CalendarDay


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that only their app's services write (the admin shows them, nothing more):
    a change made here would bypass the service's checks and the audit trail."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "chain",
        "seq",
        "occurred_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor_label", "request_id"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "reason"]
    list_filter = ["kind"]
