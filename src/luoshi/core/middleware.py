from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from .errors import LuoshiError

# Scripts only from our own origin: no inline script anywhere in the templates. ECharts and htmx
# set inline styles, hence 'unsafe-inline' for styles only.
DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        # The admin ships inline scripts of its own; it keeps Django's defaults.
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class LuoshiErrorMiddleware:
    """Pages' one mapping of a service's refusal that the view did not show in its own form: the
    message on the error page, with the error's status (400, 403 or 409)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # A refused or hidden object gets the site's own page even with DEBUG on, so a demo never
        # shows Django's technical page for what is ordinary use.
        if isinstance(exception, (PermissionDenied, Http404)) and not request.path.startswith(("/api/", "/admin/")):
            status = 403 if isinstance(exception, PermissionDenied) else 404
            return render(request, f"{status}.html", status=status)
        if not isinstance(exception, LuoshiError):
            return None
        return render(request, "error.html", {"message": exception.message, "status": exception.status}, status=exception.status)
