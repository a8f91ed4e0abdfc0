"""The JSON API: one NinjaAPI, with a router from each app, and the one place where a service's
refusal (`luoshi.core.errors`) and an access refusal become HTTP answers."""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from luoshi.core.errors import LuoshiError
from luoshi.directives import api as directives_api
from luoshi.indicators import api as indicators_api
from luoshi.orgs import api as orgs_api
from luoshi.projects import api as projects_api
from luoshi.reports import api as reports_api
from luoshi.requests import api as requests_api
from luoshi.supervision import api as supervision_api
from luoshi.tasks import api as tasks_api

from .auth import AUTH, docs_login_required

api = NinjaAPI(
    title="luoshi API",
    version="1",
    description=(
        "落实：目标任务分解与督查督办。Token: `Authorization: Bearer <token>` (`luoshi token USERNAME`). "
        "Every list is paged: `?limit=&offset=` (100 by default, at most 500), answered as `{\"items\": [...], \"count\": N}`."
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_decorator=docs_login_required,
)


@api.exception_handler(LuoshiError)
def refused(request, exc: LuoshiError):
    """400 for wrong input, 403 for a change the actor may not make, 409 for a stale version; the
    body carries the service's message in the request's language."""
    body = {"detail": exc.message}
    if exc.problems:
        body["problems"] = exc.problems
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or _("无权执行此操作。")}, status=403)


for label, module in (
    ("orgs", orgs_api),
    ("directives", directives_api),
    ("tasks", tasks_api),
    ("supervision", supervision_api),
    ("indicators", indicators_api),
    ("projects", projects_api),
    ("requests", requests_api),
    ("reports", reports_api),
):
    api.add_router(f"/{label}/", module.router, tags=[str(apps.get_app_config(label).verbose_name)])

urlpatterns = [path("", api.urls)]
