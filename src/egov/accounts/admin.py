from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from egov.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "kind", "agency", "masked_email", "is_active"]
    list_filter = ["kind", "is_active", "is_staff"]
    search_fields = ["username", "full_name"]
    ordering = ["username"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["username", "password", "full_name", "kind", "agency"]}),
        ("Contact", {"fields": ["email", "email_verified_at", "phone", "phone_verified_at"]}),
        ("Identity", {"fields": ["citizen_id", "date_of_birth"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"fields": ["username", "kind", "agency", "password1", "password2"]})]
