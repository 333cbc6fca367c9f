from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from egov.organizations import queries
from egov.organizations.models import Agency
from egov.portal.forms import AsOfForm


def home(request):
    return render(request, "portal/home.html")


def units(request):
    """The administrative tree of a province as it stood on a chosen day."""
    form = AsOfForm(request.GET or None)
    day = form.day
    code = request.GET.get("province") or settings.EGOV_PROVINCE_CODE
    province = queries.unit_as_of(code, day)
    tree = queries.subtree_as_of(province, day) if province else []
    return render(
        request,
        "portal/units.html",
        {
            "form": form,
            "day": day,
            "province": province,
            "tree": tree,
            "counts": queries.count_levels(tree),
        },
    )


def agencies(request):
    rows = (
        Agency.objects.as_of(timezone.localdate()).select_related("parent", "unit").order_by("path")
    )
    return render(request, "portal/agencies.html", {"agencies": rows})
