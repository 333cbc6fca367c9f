from egov.accounts import scoping


def staff(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.kind != "staff":
        return {}
    return {"perms_system_wide": scoping.is_system_wide(user)}
