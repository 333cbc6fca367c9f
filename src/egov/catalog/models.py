"""The procedure catalogue (danh mục thủ tục hành chính).

A :class:`Procedure` is the stable identity (the national code, the agency that owns its entry in
the catalogue, the permissions); everything a citizen and the workflow read lives in a
:class:`ProcedureVersion`. Editing a published version makes a new draft; publishing it gives it
an effective date; a dossier keeps the version it was submitted under.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import Role
from egov.organizations.models import Agency

TEMPLATE_UPLOAD_TO = "catalog/templates/"


class Field(models.Model):
    """Lĩnh vực: the subject area a procedure belongs to."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self) -> str:
        return self.name


class PaperType(models.Model):
    """Loại giấy tờ: a kind of paper procedures ask for. Its code becomes the code of the papers
    that name it, which is how a paper in the citizen's store is matched with what another
    procedure asks for (digitization.kinds)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("paper type")
        verbose_name_plural = _("paper types")

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    code = models.CharField(
        _("procedure code"), max_length=30, unique=True, help_text=_("National code, e.g. 1.001193")
    )
    owner_agency = models.ForeignKey(
        Agency,
        verbose_name=_("owning agency"),
        on_delete=models.PROTECT,
        related_name="owned_procedures",
        help_text=_("The agency whose catalogue editors maintain this procedure."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self) -> str:
        return self.code


class Level(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level (before 1 July 2025)")
    COMMUNE = "commune", _("Commune level")


class OnlineMode(models.TextChoices):
    FULL = "full", _("Full-process online (toàn trình)")
    PARTIAL = "partial", _("Partly online (một phần)")
    NONE = "none", _("Not online")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")


class ProcedureVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    change_note = models.CharField(_("what changed"), max_length=500, blank=True)

    name = models.CharField(_("name"), max_length=1000)
    name_search = models.CharField(max_length=1000, editable=False, db_index=True)
    # The name's Vietnamese alphabetical key (egov.core.collation): lists order by it.
    name_sort = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    field = models.ForeignKey(Field, verbose_name=_("field"), on_delete=models.PROTECT)
    level = models.CharField(_("implementing level"), max_length=10, choices=Level.choices)
    deciding_agency = models.ForeignKey(
        Agency,
        verbose_name=_("deciding agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_procedure_versions",
        help_text=_("Empty for commune-level procedures: the commune's People's Committee."),
    )
    receiving_agencies = models.ManyToManyField(
        Agency,
        verbose_name=_("receiving agencies"),
        blank=True,
        related_name="received_procedure_versions",
        help_text=_("Empty for commune-level procedures: the commune's one-stop desk."),
    )
    online_mode = models.CharField(_("online mode"), max_length=10, choices=OnlineMode.choices)
    payment_first = models.BooleanField(
        _("fees paid before the dossier is received"),
        default=False,
        help_text=_(
            "The citizen pays the fees when submitting; the desk receives the dossier only "
            "once they are paid."
        ),
    )
    # Some procedures may be submitted online only by a person identified at VNeID level 2
    # (mức độ 2, Nghị định 69/2024/NĐ-CP), signed in through the national portal's SSO.
    requires_identity_level_2 = models.BooleanField(
        _("requires a level-2 electronic identity"),
        default=False,
        help_text=_("Online submission only after signing in with a level-2 VNeID account."),
    )
    # Nghị định 118/2025/NĐ-CP: the province publishes the procedures whose dossiers any of
    # its Public Administration Service Centres receives, whatever commune they belong to.
    boundary_free = models.BooleanField(
        _("received regardless of administrative boundary"),
        default=False,
        help_text=_(
            "On the province's list of procedures received regardless of administrative "
            "boundary (tiếp nhận không phụ thuộc địa giới hành chính): every service centre "
            "of the province receives it."
        ),
    )
    boundary_free_decision = models.CharField(
        _("decision publishing the list"),
        max_length=300,
        blank=True,
        help_text=_("E.g. Quyết định số 1234/QĐ-UBND ngày 30/6/2025 of the province's chairman."),
    )
    legacy_service_level = models.PositiveSmallIntegerField(
        _("service level (Nghị định 43/2011)"),
        choices=[(n, str(n)) for n in (1, 2, 3, 4)],
        help_text=_("Kept because historic statistics are reported in levels 3 and 4."),
    )
    time_limit = models.DecimalField(_("time limit"), max_digits=6, decimal_places=1)
    time_unit = models.CharField(_("unit"), max_length=15, choices=TimeUnit.choices)
    legal_bases = models.TextField(_("legal bases"), blank=True, help_text=_("One per line."))
    results = models.TextField(_("results issued"), blank=True, help_text=_("One per line."))
    steps = models.TextField(_("how to do it"), blank=True, help_text=_("One step per line."))
    form_schema = models.JSONField(_("e-form schema"), default=dict, blank=True)
    form_ui = models.JSONField(_("e-form layout"), default=dict, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["procedure__code", "-number"]
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_once"),
            # At most one draft at a time: editing continues the draft rather than forking it.
            models.UniqueConstraint(
                fields=["procedure"], condition=Q(status="draft"), name="one_draft_per_procedure"
            ),
        ]
        indexes = [models.Index(fields=["status", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} {self.name}"

    @property
    def offered_online(self) -> bool:
        """Whether citizens may submit it on the portal or through the API (fully or partly)."""
        return self.online_mode != OnlineMode.NONE

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def lines(self, attribute: str) -> list[str]:
        return [line.strip() for line in getattr(self, attribute).splitlines() if line.strip()]


class DocumentRequirement(models.Model):
    """Thành phần hồ sơ: one document the citizen provides."""

    class Registry(models.TextChoices):
        NONE = "", _("none: the citizen provides it")
        POPULATION = "population", _("National population database")
        CIVIL_STATUS = "civil_status", _("Civil status database")
        BUSINESS = "business", _("National business registry")
        LAND = "land", _("Land database")
        INSURANCE = "insurance", _("Social insurance database")

    class CivilStatusRecord(models.TextChoices):
        NONE = "", _("not said (from the paper's name)")
        BIRTH = "birth", _("Birth record")
        MARRIAGE = "marriage", _("Marriage record")

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="requirements"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    # Stable across versions while the paper is the same (the national procedure database's
    # paper code where there is one): API clients, the national portal and reuse name it so.
    code = models.SlugField(_("code"), max_length=50, blank=True, default="")
    name = models.CharField(_("name"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("originals"), default=1)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    condition = models.CharField(_("required when"), max_length=500, blank=True)
    accepted_types = models.JSONField(
        _("accepted file types"), default=list, help_text=_('Extensions, e.g. ["pdf", "jpg"]')
    )
    template_name = models.CharField(_("template"), max_length=300, blank=True)
    template_file = models.FileField(_("template file"), upload_to=TEMPLATE_UPLOAD_TO, blank=True)
    registry = models.CharField(
        _("can be taken from"), max_length=20, choices=Registry.choices, blank=True, default=""
    )
    # Which civil status record a paper taken from the civil status database is (khai sinh, kết
    # hôn); blank: its name says ("kết hôn": the marriage record, else the birth record).
    civil_status_record = models.CharField(
        _("civil status record"),
        max_length=10,
        choices=CivilStatusRecord.choices,
        blank=True,
        default="",
    )
    # The declaration (tờ khai, đơn đề nghị) whose content is the e-form: filled in online, it is
    # not asked for again as a file.
    filled_by_eform = models.BooleanField(
        _("filled in by the e-form"),
        default=False,
        help_text=_("The declaration is the e-form: online applicants fill it in, not upload it."),
    )

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("document requirement")
        verbose_name_plural = _("document requirements")

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    """Phí, lệ phí: a fixed amount or a simple rule on form values, in integer VND."""

    class Kind(models.TextChoices):
        CHARGE = "phi", _("Fee (phí)")
        LEVY = "le_phi", _("Charge (lệ phí)")

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"), default=0)
    rule = models.JSONField(_("rule"), null=True, blank=True)
    exemptions = models.TextField(_("exemptions"), blank=True)
    exemption_rule = models.JSONField(_("exemption rule"), null=True, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("fee")
        verbose_name_plural = _("fees")

    def __str__(self) -> str:
        return self.name


class WorkflowStep(models.Model):
    class Action(models.TextChoices):
        RECEIVE = "receive", _("Receive")
        ASSIGN = "assign", _("Assign")
        PROCESS = "process", _("Process")
        REVIEW = "review", _("Review (thẩm định)")
        CONSULT = "consult", _("Consult another agency")
        CONSULTATION = "consultation", _("Consult several agencies at once (lấy ý kiến)")
        TRANSFER = "transfer", _("Transfer to another agency (liên thông)")
        APPROVE = "approve", _("Approve")
        SIGN = "sign", _("Sign")
        RETURN = "return", _("Return the result")

    class AgencyRole(models.TextChoices):
        RECEIVING = "receiving", _("the receiving agency")
        DECIDING = "deciding", _("the deciding agency")
        OTHER = "other", _("another agency")

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="workflow_steps"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    role = models.CharField(_("role that acts"), max_length=20, choices=Role.choices)
    agency_role = models.CharField(
        _("acting agency"), max_length=10, choices=AgencyRole.choices, default=AgencyRole.DECIDING
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("other agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    duration = models.DecimalField(
        _("share of the time limit"),
        max_digits=6,
        decimal_places=2,
        help_text=_("In the procedure's time unit; the steps add up to the time limit."),
    )
    # A consultation step: the handler chooses which of its agencies to consult, instead of
    # all of them being asked as soon as the dossier reaches it.
    consult_pick = models.BooleanField(
        _("the handler chooses whom to consult"),
        default=False,
        help_text=_("Otherwise every agency listed is asked as soon as the dossier arrives."),
    )

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="step_code_once"),
            models.UniqueConstraint(fields=["version", "position"], name="step_position_once"),
        ]

    def __str__(self) -> str:
        return self.name


class ConsultedAgency(models.Model):
    """One agency a consultation step asks for an opinion (xin ý kiến), with its own
    sub-deadline in the procedure's time unit, counted on the working-day calendar from the
    moment the request is sent."""

    step = models.ForeignKey(WorkflowStep, on_delete=models.CASCADE, related_name="consulted")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    agency = models.ForeignKey(
        Agency, verbose_name=_("consulted agency"), on_delete=models.PROTECT, related_name="+"
    )
    duration = models.DecimalField(
        _("time to answer"),
        max_digits=6,
        decimal_places=2,
        help_text=_("In the procedure's time unit, from the moment the request is sent."),
    )

    class Meta:
        ordering = ["step", "position", "id"]
        verbose_name = _("consulted agency")
        verbose_name_plural = _("consulted agencies")
        constraints = [
            models.UniqueConstraint(fields=["step", "agency"], name="consulted_agency_once")
        ]

    def __str__(self) -> str:
        return f"{self.step_id} {self.agency_id} {self.duration}"


class WorkflowTransition(models.Model):
    class Kind(models.TextChoices):
        NEXT = "next", _("Next step")
        SUPPLEMENT = "supplement", _("Request a supplement")
        REFUSE = "refuse", _("Refuse")
        PAUSE = "pause", _("Pause")
        TRANSFER = "transfer", _("Transfer")
        SEND_BACK = "send_back", _("Send back to an earlier step")

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="workflow_transitions"
    )
    source = models.ForeignKey(WorkflowStep, on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(
        WorkflowStep,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="incoming",
        help_text=_("Empty for refusal: the dossier ends."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("workflow transition")
        verbose_name_plural = _("workflow transitions")

    def __str__(self) -> str:
        return f"{self.source.code} → {self.target.code if self.target else '∅'} ({self.kind})"


class ResultTemplate(models.Model):
    """Mẫu kết quả: the official layout of the paper a version issues (a certificate, a licence),
    drawn as a PDF at the signing step with the dossier's answers and the decision's data.

    The body is a small markup (headings, paragraphs, lists, tables, bold) with placeholders
    ``{{ to_khai.<field> }}`` and ``{{ ho_so.<key> }}``; see :mod:`egov.catalog.result_templates`.
    """

    version = models.OneToOneField(
        ProcedureVersion, on_delete=models.CASCADE, related_name="result_template"
    )
    parent_agency = models.CharField(
        _("governing body (above the agency's name)"), max_length=200, blank=True
    )
    place = models.CharField(_("place name in the date line"), max_length=100)
    title = models.CharField(_("title of the paper"), max_length=300)
    body = models.TextField(_("content"))
    signer_title = models.CharField(_("signer's title"), max_length=200)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True
    )
    recipients = models.TextField(_("recipients (nơi nhận)"), blank=True)

    class Meta:
        verbose_name = _("result template")
        verbose_name_plural = _("result templates")

    def __str__(self) -> str:
        return self.title
