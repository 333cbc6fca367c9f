from django.contrib import admin

from egov.personnel.models import Rank


@admin.register(Rank)
class RankAdmin(admin.ModelAdmin):
    """The ranks (ngạch) and their salary groups: reference data an administrator keeps. The
    records themselves are only reached through the personnel pages, which scope and audit every
    access."""

    list_display = ["code", "name", "salary_group", "is_active"]
    list_filter = ["salary_group", "is_active"]
    search_fields = ["code", "name"]
