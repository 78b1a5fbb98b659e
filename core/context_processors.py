from django.conf import settings


def service(request) -> dict:
    """The service's and the office's names, for the header, page titles and footer."""
    return {"service_name": settings.SERVICE_NAME, "organisation_name": settings.ORGANISATION_NAME}
