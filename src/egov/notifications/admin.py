from django.contrib import admin

from egov.notifications.models import (
    DeliveryAttempt,
    Notification,
    NotificationPreference,
    NotificationTemplate,
)


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    list_display = ["event", "channel", "language", "zns_template_id", "updated_at", "updated_by"]
    list_filter = ["channel", "language", "event"]
    readonly_fields = ["updated_at", "updated_by"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "channels", "language", "updated_at"]
    raw_id_fields = ["user"]


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "started_at", "finished_at", "outcome", "code", "detail"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: staff resend from the staff site, which keeps the audit trail."""

    list_display = ["pk", "created_at", "event", "channel", "status", "attempts", "object_id"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["object_id", "uuid"]
    exclude = ["address", "body", "data"]
    inlines = [DeliveryAttemptInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
