from functools import partial

from egov.accounts import scoping
from egov.backoffice import menu


def staff(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.kind != "staff":
        return {}
    # Callables: the template asks the database only when a page shows what depends on it,
    # and a view that already knows (the queue page's scope) passes the answer instead.
    return {
        "perms_system_wide": partial(scoping.is_system_wide, user),
        "staff_menu": partial(menu.entries_for, user),
    }
