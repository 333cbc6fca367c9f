from django.conf import settings


def site(request):
    return {"site_name": settings.EGOV_SITE_NAME}
