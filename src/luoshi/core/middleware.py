import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from . import inputguard
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


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _guard_message(problem: str, name: str) -> str:
    messages = {
        "nul": _("请求中含有空字符（NUL），无法处理。"),
        "surrogate": _("请求中含有无效的 Unicode 字符，无法处理。"),
        "range": _("“%(name)s”的数值超出范围，无法处理。") % {"name": name},
        "negative": _("“%(name)s”不能为负数，无法处理。") % {"name": name},
        "nesting": _("JSON 嵌套过深，无法处理。"),
    }
    return messages[problem]


class InputGuardMiddleware:
    """The one place that refuses input no view could use, with a 400 and a message (the site's
    error page, or JSON for the API), before any view or database sees it: a NUL byte or a lone
    surrogate anywhere in the query, a form field, an uploaded file's name or a JSON body (which
    PostgreSQL cannot store), integers beyond 64 bits and negative paging offsets. The checks are
    pure functions in `luoshi.core.inputguard`."""

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = self.problem(request)
        if found is not None:
            message = _guard_message(*found)
            if _is_api(request):
                return JsonResponse({"detail": message}, status=400)
            return render(request, "error.html", {"message": message, "status": 400}, status=400)
        return self.get_response(request)

    def problem(self, request) -> tuple[str, str] | None:
        params = [request.GET]
        if request.method == "POST" and request.content_type in self.FORM_TYPES:
            params.append(request.POST)
        for query in params:
            for name, values in query.lists():
                problem = inputguard.text_problem(name)
                if problem:
                    return problem, name
                for value in values:
                    problem = inputguard.text_problem(value) or (inputguard.integer_problem(name, value) if query is request.GET else None)
                    if problem:
                        return problem, name
        if request.method == "POST" and request.content_type == "multipart/form-data":
            for name, upload in request.FILES.items():
                problem = inputguard.text_problem(upload.name or "")
                if problem:
                    return problem, name
        if request.content_type == "application/json" and request.method in ("POST", "PUT", "PATCH", "DELETE"):
            try:
                document = json.loads(request.body or b"null")
            except RecursionError:
                return "nesting", ""
            except ValueError:
                return None  # not JSON at all: the API answers that itself
            problem = inputguard.json_problem(document)
            if problem:
                return problem, ""
        return None


class ApiJsonErrorsMiddleware:
    """The API answers every error as JSON, also those that never reach its handlers: an unknown
    address (404), a method the endpoint lacks (405), a crash (500, logged by Django as usual; the
    body says nothing about the cause)."""

    KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not _is_api(request)
            or response.status_code < 400
            or getattr(response, "streaming", False)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        details = {
            403: _("无权执行此操作。"),
            404: _("未找到。"),
            405: _("此地址不支持 %(method)s 请求。") % {"method": request.method},
            500: _("服务器内部错误，请稍后再试。"),
        }
        answer = JsonResponse({"detail": details.get(response.status_code, response.reason_phrase)}, status=response.status_code)
        for header in self.KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer


class NoStoreDownloadsMiddleware:
    """Every download (an export, a template, an attachment: any response with a
    Content-Disposition) is marked `Cache-Control: no-store`, so no browser or proxy cache keeps a
    copy of what was only meant for the person who asked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Disposition" in response:
            patch_cache_control(response, no_store=True)
        return response
