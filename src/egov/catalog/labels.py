"""The names of the audit actions this app records (egov.core.action_labels), so that the
audit trail never shows a raw code."""

from django.utils.translation import gettext_lazy as _

from egov.core import action_labels

ACTIONS = {
    "catalog.procedure_created": _("Procedure created"),
    "catalog.draft_started": _("New version of a procedure drafted"),
    "catalog.draft_changed": _("Draft version of a procedure changed"),
    "catalog.version_published": _("Procedure version published"),
    "catalog.eform_changed": _("E-form of a draft procedure version built in the designer"),
    "catalog.fees_changed": _("Fees of a draft procedure version changed in the designer"),
    "catalog.requirements_changed": _(
        "Papers to provide of a draft procedure version changed in the designer"
    ),
    "catalog.workflow_changed": _("Workflow of a draft procedure version changed in the designer"),
    "catalog.procedure_copied": _("Procedure started as a copy of another"),
    "catalog.field_created": _("Field (lĩnh vực) of procedures created"),
    "catalog.paper_type_created": _("Paper type (loại giấy tờ) created"),
    "catalog.result_template_changed": _(
        "Result template of a draft procedure version changed in the designer"
    ),
    "catalog.imported": _("Procedures imported from a workbook"),
    "catalog.bundle_imported": _("Procedure catalogue imported"),
    "catalog.boundary_free_changed": _(
        "Procedure put on or taken off the list received regardless of administrative boundary"
    ),
}
action_labels.register(ACTIONS)
