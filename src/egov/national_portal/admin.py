"""Read-only in the admin: the outbox and the mapping change only through the services (and
their audit trail); the mapping is edited on the staff site's page."""

from django.contrib import admin

from egov.core.admin import ReadOnlyAdmin
from egov.national_portal.models import OutboxMessage, StatusMapping


@admin.register(StatusMapping)
class StatusMappingAdmin(ReadOnlyAdmin):
    list_display = ["status", "transition", "portal_code", "updated_at"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["dossier_code", "sequence", "service", "portal_code", "state", "attempts"]
    list_filter = ["state", "service"]
    search_fields = ["dossier_code"]
