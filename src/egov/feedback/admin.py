from django.contrib import admin
from django.db import transaction

from egov.core.admin import ReadOnlyAdmin
from egov.feedback import services
from egov.feedback.models import ApiClient, Attribute, Category, CommuneBoundary, Report


class AttributeInline(admin.TabularInline):
    model = Attribute
    extra = 0
    fields = [
        "position",
        "code",
        "description",
        "datatype",
        "required",
        "values",
        "datatype_description",
    ]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Categories and the questions asked with them (the Open311 service definitions). Saved
    through the service, so every change is in the audit trail."""

    list_display = ["code", "name", "routing", "agency", "deadline_days", "is_active", "position"]
    list_filter = ["routing", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["agency"]
    inlines = [AttributeInline]

    def save_model(self, request, obj, form, change):
        services.save_category(obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            services.save_questions(formset, actor=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # reports refer to it: switch it off instead


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Read-only: agencies work on reports in the staff pages, which keep the audit trail."""

    list_display = ["code", "category", "status", "agency", "received_at", "due_at"]
    list_filter = ["status", "category", "source"]
    search_fields = ["code"]


@admin.register(ApiClient)
class ApiClientAdmin(ReadOnlyAdmin):
    """Keys are issued and revoked on the staff page (shown once, audited)."""

    list_display = [
        "name",
        "organisation",
        "prefix",
        "requests_per_minute",
        "revoked_at",
        "last_used_at",
    ]


@admin.register(CommuneBoundary)
class CommuneBoundaryAdmin(admin.ModelAdmin):
    """Loaded with ``manage.py load_commune_boundaries``."""

    list_display = ["unit", "source", "loaded_at"]
    search_fields = ["unit__name", "unit__code"]
    fields = ["unit", "source", "min_latitude", "max_latitude", "min_longitude", "max_longitude"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
