from django.contrib import admin

from egov.digitization.models import Paper, Reuse


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin[Paper]):
    list_display = ["kind_name", "number", "source", "signed", "created_at"]
    list_filter = ["source", "signed"]
    raw_id_fields = ["owner", "dossier", "requirement", "agency", "created_by"]
    readonly_fields = ["public_id", "sha256", "size", "signature_code"]


@admin.register(Reuse)
class ReuseAdmin(admin.ModelAdmin[Reuse]):
    list_display = ["paper", "dossier", "reused_at"]
    raw_id_fields = ["paper", "dossier", "attachment", "agency"]
