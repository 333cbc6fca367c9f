from django.contrib import admin

from egov.exchange.models import AccessRight, ClientSystem, Member, MessageRecord, Service


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    search_fields = ["code", "name"]


@admin.register(ClientSystem)
class ClientSystemAdmin(admin.ModelAdmin):
    list_display = ["code", "member", "fingerprint", "valid_until", "suspended_at"]
    readonly_fields = ["fingerprint", "subject", "valid_from", "valid_until", "certificate_pem"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "provider", "keep_bodies", "withdrawn_at"]


@admin.register(AccessRight)
class AccessRightAdmin(admin.ModelAdmin):
    # Rights are granted and revoked through the services (audited), never edited here.
    list_display = ["client", "service", "purpose", "granted_at", "revoked_at"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(MessageRecord)
class MessageRecordAdmin(admin.ModelAdmin):
    """Read only: the log is append-only."""

    list_display = ["seq", "occurred_at", "client_code", "service_code", "status"]
    list_filter = ["service_code", "outcome"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
