"""Civil servant records (hồ sơ cán bộ, công chức, viên chức).

A person's record holds what the official CV form (Mẫu 2C) asks of the person: identity, birth,
origins, education and training, memberships, family, health. What happens in their career is a
list of dated events, each made by a decision (quyết định). Where the person works, their rank,
step and position are never typed in: :mod:`egov.personnel.state` derives them from the events,
for any date, and keeps today's in :class:`CurrentState` for lists and reports.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.core import references
from egov.core.masking import mask_citizen_id
from egov.core.text import normalize_search_text
from egov.organizations.models import Agency
from egov.personnel import rules


class Sex(models.TextChoices):
    MALE = rules.Sex.MALE, _("Male")
    FEMALE = rules.Sex.FEMALE, _("Female")


class EmploymentKind(models.TextChoices):
    CADRE = rules.Employment.CADRE, _("Cadre (cán bộ)")
    CIVIL_SERVANT = rules.Employment.CIVIL_SERVANT, _("Civil servant (công chức)")
    PUBLIC_EMPLOYEE = rules.Employment.PUBLIC_EMPLOYEE, _("Public employee (viên chức)")
    CONTRACT = rules.Employment.CONTRACT, _("Contract worker (hợp đồng lao động)")


class EducationLevel(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master's degree")
    UNIVERSITY = "university", _("University degree")
    COLLEGE = "college", _("College")
    INTERMEDIATE = "intermediate", _("Intermediate vocational")
    NONE = "none", _("No professional qualification")


class PoliticalTheory(models.TextChoices):
    ADVANCED = "advanced", _("Advanced (cao cấp)")
    INTERMEDIATE = "intermediate", _("Intermediate (trung cấp)")
    ELEMENTARY = "elementary", _("Elementary (sơ cấp)")
    NONE = "none", pgettext_lazy("training", "None")


class StateManagement(models.TextChoices):
    SENIOR_EXPERT = "senior_expert", _("Senior expert programme")
    PRINCIPAL_EXPERT = "principal_expert", _("Principal expert programme")
    EXPERT = "expert", _("Expert programme")
    OFFICER = "officer", _("Officer programme")
    NONE = "none", pgettext_lazy("training", "None")


class Rank(models.Model):
    """A rank (ngạch) or professional title (chức danh nghề nghiệp) and its salary group."""

    code = models.CharField(_("rank code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    salary_group = models.CharField(_("salary group"), max_length=5, choices=rules.GROUP_CHOICES)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("rank")
        verbose_name_plural = _("ranks")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CivilServant(models.Model):
    """The record of one person (the fields of Mẫu 2C that are not career events)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("record number"),
        max_length=20,
        unique=True,
        help_text=_("The personnel record number (số hiệu cán bộ, công chức)."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("platform account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="personnel_record",
    )
    # 1–5: identity and birth
    full_name = models.CharField(_("full name (as on the birth certificate)"), max_length=200)
    other_names = models.CharField(_("other names"), max_length=200, blank=True)
    name_search = models.CharField(max_length=200, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"))
    birth_year_only = models.BooleanField(
        _("only the year of birth is known"),
        default=False,
        help_text=_("Then 1 January of that year counts, as the law says for retirement."),
    )
    place_of_birth = models.CharField(_("place of birth"), max_length=300, blank=True)
    hometown = models.CharField(_("home town (quê quán)"), max_length=300, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=50, default="Kinh")
    religion = models.CharField(_("religion"), max_length=50, default="Không")
    citizen_id = models.CharField(_("citizen ID number (CCCD)"), max_length=12, blank=True)
    citizen_id_issued_on = models.DateField(_("citizen ID issued on"), null=True, blank=True)
    social_insurance_number = models.CharField(
        _("social insurance number"), max_length=15, blank=True
    )
    permanent_address = models.CharField(_("permanent residence"), max_length=300, blank=True)
    current_address = models.CharField(_("current address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # 10, 13: work
    occupation_at_recruitment = models.CharField(
        _("occupation when recruited"), max_length=200, blank=True
    )
    main_duties = models.CharField(_("main duties"), max_length=300, blank=True)
    # 15: education
    general_education = models.CharField(
        _("general education"), max_length=20, blank=True, help_text=_("For example 12/12.")
    )
    education_level = models.CharField(
        _("highest professional qualification"),
        max_length=15,
        choices=EducationLevel.choices,
        default=EducationLevel.NONE,
    )
    education_detail = models.CharField(
        _("qualification and field"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Bachelor of Law."),
    )
    political_theory = models.CharField(
        _("political theory"), max_length=15, choices=PoliticalTheory.choices, default="none"
    )
    state_management = models.CharField(
        _("state management training"),
        max_length=20,
        choices=StateManagement.choices,
        default="none",
    )
    foreign_languages = models.CharField(_("foreign languages"), max_length=200, blank=True)
    it_skills = models.CharField(_("information technology"), max_length=200, blank=True)
    # 16–19: memberships and service
    party_joined_on = models.DateField(_("joined the Communist Party on"), null=True, blank=True)
    party_official_on = models.DateField(_("full Party member since"), null=True, blank=True)
    youth_union_joined_on = models.DateField(_("joined the Youth Union on"), null=True, blank=True)
    trade_union_joined_on = models.DateField(_("joined the trade union on"), null=True, blank=True)
    military_enlisted_on = models.DateField(_("enlisted on"), null=True, blank=True)
    military_discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    military_rank = models.CharField(_("highest military rank"), max_length=100, blank=True)
    honorary_title = models.CharField(_("highest honorary title"), max_length=200, blank=True)
    strengths = models.CharField(_("strengths"), max_length=300, blank=True)
    # 23–24: health and policy
    health = models.CharField(_("health"), max_length=100, blank=True)
    height_cm = models.PositiveSmallIntegerField(
        _("height (cm)"), null=True, blank=True, validators=[MaxValueValidator(250)]
    )
    weight_kg = models.PositiveSmallIntegerField(
        _("weight (kg)"), null=True, blank=True, validators=[MaxValueValidator(300)]
    )
    blood_type = models.CharField(_("blood type"), max_length=5, blank=True)
    policy_family = models.CharField(_("war invalid or policy family"), max_length=200, blank=True)
    # 29: history
    personal_history = models.TextField(_("personal history"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_search", "code"]
        verbose_name = _("civil servant record")
        verbose_name_plural = _("civil servant records")
        # The search lists by name: the first page comes from the index, without a sort.
        indexes = [models.Index(fields=["name_search", "code"], name="personnel_name_code")]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id"], condition=~Q(citizen_id=""), name="personnel_citizen_id_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    def save(self, *args, **kwargs):
        self.name_search = normalize_search_text(self.full_name)
        super().save(*args, **kwargs)

    @property
    def masked_citizen_id(self) -> str:
        return mask_citizen_id(self.citizen_id)

    @property
    def retirement(self) -> rules.Retirement:
        return rules.retirement(self.sex, self.date_of_birth, year_only=self.birth_year_only)


class Training(models.Model):
    """A line of the CV's training table (đào tạo, bồi dưỡng)."""

    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", _("Professional")
        POLITICAL = "political", _("Political theory")
        STATE_MANAGEMENT = "state_management", _("State management")
        LANGUAGE = "language", _("Foreign language")
        IT = "it", _("Information technology")
        OTHER = "other", _("Other")

    person = models.ForeignKey(CivilServant, on_delete=models.CASCADE, related_name="trainings")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    institution = models.CharField(_("school or institution"), max_length=200)
    field = models.CharField(_("field of study"), max_length=200, blank=True)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("to"), null=True, blank=True)
    form = models.CharField(_("form of training"), max_length=100, blank=True)
    qualification = models.CharField(_("degree or certificate"), max_length=200, blank=True)

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("training")
        verbose_name_plural = _("training")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.institution}"


class FamilyMember(models.Model):
    """A line of the CV's family relations (quan hệ gia đình)."""

    class Side(models.TextChoices):
        OWN = "own", _("Own family")
        SPOUSE = "spouse", _("Spouse's family")

    person = models.ForeignKey(CivilServant, on_delete=models.CASCADE, related_name="family")
    side = models.CharField(_("side"), max_length=6, choices=Side.choices, default=Side.OWN)
    relation = models.CharField(_("relation"), max_length=50, help_text=_("E.g. father, wife."))
    full_name = models.CharField(_("full name"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1880), MaxValueValidator(2100)],
    )
    details = models.CharField(_("home town, occupation, workplace"), max_length=300, blank=True)

    class Meta:
        ordering = ["side", "pk"]
        verbose_name = _("family member")
        verbose_name_plural = _("family members")

    def __str__(self) -> str:
        return f"{self.relation}: {self.full_name}"


class Decision(models.Model):
    """The decision (quyết định) behind career events; one decision may concern many people."""

    number = models.CharField(_("decision number"), max_length=50, help_text=_("E.g. 125/QĐ-UBND."))
    signed_on = models.DateField(_("signed on"))
    signer = models.CharField(_("signed by"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    document_ref = models.CharField(
        _("document in the register"),
        max_length=100,
        blank=True,
        help_text=_("Its reference in the official documents register, when it is there."),
    )
    # The document of the registers (egov.documents) carrying the decision, found by its number
    # and date when it is recorded or when the document is registered later.
    document_id = models.UUIDField(_("document in the registers"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["number", "signed_on"], name="decision_once")
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"

    @property
    def document_url(self) -> str | None:
        """The page of the document in the registers (which decides who may open it)."""
        return references.document_url(self.document_id) if self.document_id else None


class EventKind(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment (tuyển dụng)")
    PROBATION = "probation", _("Probation (tập sự)")
    RANK = "rank", _("Appointment to a rank (bổ nhiệm ngạch)")
    SALARY = "salary", _("Salary step (xếp lương, nâng bậc lương)")
    SENIORITY = "seniority", _("Seniority allowance beyond the frame")
    POSITION = "position", _("Appointment to a position (bổ nhiệm chức vụ)")
    POSITION_END = "position_end", _("End of a position (thôi giữ chức vụ)")
    TRANSFER = "transfer", _("Transfer to another agency (điều động)")
    SECONDMENT = "secondment", _("Secondment (biệt phái)")
    TRAINING = "training", _("Sent to training (cử đi đào tạo, bồi dưỡng)")
    REWARD = "reward", _("Reward (khen thưởng)")
    DISCIPLINE = "discipline", _("Discipline (kỷ luật)")
    ASSESSMENT = "assessment", _("Annual rating (đánh giá, xếp loại)")
    LEAVE = "leave", _("Leave (nghỉ)")
    RETIREMENT = "retirement", _("Retirement (nghỉ hưu)")
    SEPARATION = "separation", _("Leaving the service (thôi việc)")


class Discipline(models.TextChoices):
    REPRIMAND = rules.Form.REPRIMAND, _("Reprimand (khiển trách)")
    WARNING = rules.Form.WARNING, _("Warning (cảnh cáo)")
    STEP_LOWERED = rules.Form.STEP_LOWERED, _("Salary step lowered (hạ bậc lương)")
    DEMOTION = rules.Form.DEMOTION, _("Demotion (giáng chức)")
    DISMISSAL_FROM_POST = rules.Form.DISMISSAL_FROM_POST, _("Dismissal from the post (cách chức)")
    DISMISSAL = rules.Form.DISMISSAL, _("Dismissal (buộc thôi việc)")


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("Completed the duties excellently")
    GOOD = "good", _("Completed the duties well")
    COMPLETED = "completed", _("Completed the duties")
    NOT_COMPLETED = "not_completed", _("Did not complete the duties")


class LeaveKind(models.TextChoices):
    UNPAID = rules.Leave.UNPAID, _("Unpaid leave")
    SUSPENSION = rules.Leave.SUSPENSION, _("Suspended from duty")
    MATERNITY = "maternity", _("Maternity leave")
    SICK = "sick", _("Long sick leave")
    STUDY = "study", _("Study leave")


class SalaryReason(models.TextChoices):
    REGULAR = "regular", _("Regular raise")
    EARLY = "early", _("Early raise for outstanding results")
    BEFORE_RETIREMENT = "before_retirement", _("Early raise before retirement")
    PLACEMENT = "placement", _("Placement or new rank")


class CareerEvent(models.Model):
    """One dated change in a career and the decision that made it. Events are never edited: a
    wrong one is voided with a reason, and the right one recorded."""

    person = models.ForeignKey(CivilServant, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=15, choices=EventKind.choices)
    effective_on = models.DateField(_("takes effect on"))
    ends_on = models.DateField(
        _("ends on"),
        null=True,
        blank=True,
        help_text=_("The first day after a probation, secondment or leave; empty while it lasts."),
    )
    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="events"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the person is recruited, transferred or seconded to."),
    )
    employment_kind = models.CharField(
        _("employment"), max_length=15, choices=EmploymentKind.choices, blank=True
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    position_allowance = models.DecimalField(
        _("position allowance coefficient"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    rank = models.ForeignKey(
        Rank,
        verbose_name=_("rank"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    salary_group = models.CharField(
        _("salary group"), max_length=5, choices=rules.GROUP_CHOICES, blank=True
    )
    step = models.PositiveSmallIntegerField(_("step"), null=True, blank=True)
    coefficient = models.DecimalField(
        _("coefficient"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    counted_from = models.DateField(
        _("next raise counted from"),
        null=True,
        blank=True,
        help_text=_(
            "The date the decision counts the step or allowance from; default: takes effect on."
        ),
    )
    seniority_percent = models.PositiveSmallIntegerField(
        _("seniority allowance (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    reason = models.CharField(_("form or reason"), max_length=25, blank=True)
    detail = models.CharField(_("details"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    import_batch = models.ForeignKey(
        "ImportBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    void_reason = models.CharField(_("why it was voided"), max_length=300, blank=True)

    class Meta:
        ordering = ["effective_on", "pk"]
        verbose_name = _("career event")
        verbose_name_plural = _("career events")
        indexes = [models.Index(fields=["person", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.effective_on:%d/%m/%Y}"

    @property
    def reason_label(self) -> str:
        """The form of a discipline, the rating, the kind of leave or of raise, in words."""
        choices = REASONS.get(self.kind)
        if choices is None:
            return self.reason
        try:
            return choices(self.reason).label
        except ValueError:
            return self.reason


REASONS = {
    EventKind.DISCIPLINE: Discipline,
    EventKind.ASSESSMENT: Rating,
    EventKind.LEAVE: LeaveKind,
    EventKind.SALARY: SalaryReason,
}


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not yet in service")
    PROBATION = "probation", _("On probation")
    WORKING = "working", _("In service")
    SECONDED = "seconded", _("Seconded")
    ON_LEAVE = "on_leave", _("On leave")
    RETIRED = "retired", _("Retired")
    LEFT = "left", _("Left the service")


ACTIVE_STATUSES = [Status.PROBATION, Status.WORKING, Status.SECONDED, Status.ON_LEAVE]


class CurrentState(models.Model):
    """Today's state of a person as the events make it: written only by
    ``egov.personnel.state.refresh``, for lists, due dates and reports. ``valid_until`` is the
    next date an event already recorded changes it (the daily refresh takes it from there)."""

    person = models.OneToOneField(
        CivilServant, primary_key=True, on_delete=models.CASCADE, related_name="state"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    employment_kind = models.CharField(
        _("employment"), max_length=15, choices=EmploymentKind.choices, blank=True
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    host_agency = models.ForeignKey(
        Agency,
        verbose_name=_("seconded to"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    position_allowance = models.DecimalField(max_digits=4, decimal_places=2, null=True)
    rank = models.ForeignKey(Rank, null=True, on_delete=models.PROTECT, related_name="+")
    salary_group = models.CharField(max_length=5, blank=True)
    step = models.PositiveSmallIntegerField(null=True)
    coefficient = models.DecimalField(max_digits=4, decimal_places=2, null=True)
    step_since = models.DateField(null=True)
    seniority_percent = models.PositiveSmallIntegerField(default=0)
    recruited_on = models.DateField(null=True)
    next_raise_kind = models.CharField(max_length=10, blank=True)
    next_raise_on = models.DateField(null=True)
    retires_on = models.DateField(null=True)
    early_raise = models.BooleanField(default=False)
    valid_until = models.DateField(null=True)
    computed_on = models.DateField()
    # Copied from the record for the search, so that a common name is looked for in this narrow
    # table rather than in the whole records (30,000 wide rows; docs/personnel.md, benchmark).
    name_search = models.CharField(max_length=200, blank=True)
    record_code = models.CharField(max_length=20, blank=True)
    # Copied from the record for the staffing report, so that it reads this narrow table alone.
    sex = models.CharField(max_length=6, blank=True)
    born_on = models.DateField(null=True)
    education_level = models.CharField(max_length=15, blank=True)
    political_theory = models.CharField(max_length=15, blank=True)
    minority = models.BooleanField(default=False)
    ethnicity = models.CharField(max_length=50, blank=True)
    religious = models.BooleanField(default=False)
    party_member = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["status", "agency"]),
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["next_raise_on"]),
            models.Index(fields=["retires_on"]),
            models.Index(fields=["valid_until"]),
            models.Index(fields=["name_search", "record_code"], name="personnel_state_name"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.status}"


class StaffingQuota(models.Model):
    """The approved headcount (biên chế) of an agency for a year: civil servants (biên chế công
    chức) and public employees (số lượng người làm việc)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    civil_servants = models.PositiveIntegerField(_("civil servants (biên chế công chức)"))
    public_employees = models.PositiveIntegerField(
        _("public employees (số lượng người làm việc)"), default=0
    )
    decision = models.CharField(_("decision"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "agency__code"]
        verbose_name = _("approved headcount")
        verbose_name_plural = _("approved headcounts")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="quota_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"


class StaffingCount(models.Model):
    """The staffing report's counts of one agency's people in service, kept by
    :mod:`egov.personnel.staffing_counts` so that a city-wide report reads one row per agency
    instead of counting every state again. ``counted_on`` is empty once a state of the agency has
    changed (the age bands also move with the day); ``layout`` names the report's columns the
    counts were made for."""

    agency = models.OneToOneField(
        Agency, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    counted_on = models.DateField(null=True)
    layout = models.CharField(max_length=64, blank=True)
    counts = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.agency_id} {self.counted_on}"


class CorrectionRequest(models.Model):
    """A person asks the personnel officers to correct their own record."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("correction", "Waiting")
        CORRECTED = "corrected", _("Corrected")
        DECLINED = "declined", _("Declined")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(CivilServant, on_delete=models.CASCADE, related_name="corrections")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("what is wrong and what it should say"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_state_display()}"


class ImportBatch(models.Model):
    """An Excel file imported in full: kept with its digest, so every row it added can be
    traced back to it."""

    file = models.FileField(upload_to="personnel/imports/%Y/%m/")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    people_created = models.PositiveIntegerField(default=0)
    people_updated = models.PositiveIntegerField(default=0)
    events_created = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
