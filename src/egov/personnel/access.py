"""Who may see and change civil servant records.

The whole record is for personnel officers (cán bộ tổ chức) of the agency the person works in,
and for the Department of Home Affairs (Sở Nội vụ), whose officers hold the role over the whole
city. Only the role counts: a system administrator without it sees no record, since these are
personal data (Nghị định 13/2023/NĐ-CP) that their job does not need. A person with a platform
account sees their own record. Anything else answers 404, as everywhere on the staff site.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from egov.accounts.models import Role, RoleAssignment
from egov.organizations.models import Agency
from egov.personnel.models import CivilServant, CorrectionRequest

OFFICER = Role.PERSONNEL_OFFICER


class Scope:
    """The agencies where a user acts as personnel officer, read once per request."""

    def __init__(self, user):
        self.user = user
        self.everything = False
        condition = Q(pk__in=[])
        if user is not None and user.is_authenticated and user.is_active:
            assignments = RoleAssignment.objects.filter(user=user, role=OFFICER).select_related(
                "agency"
            )
            for assignment in assignments:
                if assignment.include_subtree:
                    if assignment.agency.parent_id is None:
                        self.everything = True
                    condition |= Q(path__startswith=assignment.agency.path)
                else:
                    condition |= Q(pk=assignment.agency_id)
        self._condition = condition
        self._ids: set[int] | None = None

    def __bool__(self) -> bool:
        return self.everything or bool(self.agency_ids)

    def agencies(self) -> QuerySet[Agency]:
        if self.everything:
            return Agency.objects.all()
        return Agency.objects.filter(self._condition)

    @property
    def agency_ids(self) -> set[int]:
        if self._ids is None:
            self._ids = set(self.agencies().values_list("pk", flat=True))
        return self._ids

    def covers(self, agency_id: int | None) -> bool:
        return agency_id is not None and (self.everything or agency_id in self.agency_ids)

    def filter(self, queryset: QuerySet, agency_field: str = "state__agency") -> QuerySet:
        if self.everything:
            return queryset
        return queryset.filter(**{f"{agency_field}__in": self.agencies().values("pk")})

    def people(self) -> QuerySet[CivilServant]:
        return self.filter(CivilServant.objects.all())

    def person_or_404(self, public_id) -> CivilServant:
        try:
            return self.people().select_related("state", "user").get(public_id=public_id)
        except (CivilServant.DoesNotExist, ValueError) as exc:
            raise Http404 from exc

    def corrections(self) -> QuerySet[CorrectionRequest]:
        return self.filter(CorrectionRequest.objects.all(), "person__state__agency")


def own_record(user) -> CivilServant | None:
    if user is None or not user.is_authenticated:
        return None
    return CivilServant.objects.filter(user=user).select_related("state").first()
