"""The desk's one postal action: hand the issued result to the post."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.access import staff_required
from egov.accounts.models import Role
from egov.accounts.scoping import get_scoped_or_404
from egov.core import flash
from egov.dossiers.models import Dossier
from egov.postal import services


@staff_required
@require_POST
def hand_over(request, public_id):
    dossier = get_scoped_or_404(
        Dossier.objects.exclude(status=Dossier.Status.DRAFT),
        request.user,
        roles=[Role.DESK_OFFICER],
        agency_field="receiving_agency",
        public_id=public_id,
    )
    try:
        services.hand_over_result(dossier, request.user)
    except ValidationError as exc:
        flash.errors(request, exc)
    else:
        messages.success(
            request, _("The result is handed to the post; the tracking number follows shortly.")
        )
    return redirect("backoffice:dossier", public_id=public_id)
