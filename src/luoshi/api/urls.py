"""The JSON API: one NinjaAPI, with a router from each app, and the one place where a service's
refusal (`luoshi.core.errors`) and an access refusal become HTTP answers."""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import ValidationError

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

# Every operation can answer these, whatever it declares for success: the exception handlers below
# turn every refusal into {"detail": …}, ninja answers 401 and 422 itself with the same key (422's
# detail is the list of invalid fields). Documenting them once here keeps the contract honest.
ERROR_RESPONSES = {
    400: "输入有误（Invalid input）",
    401: "未登录或令牌无效、已过期、已停用（Not authenticated）",
    403: "无权执行此操作（Forbidden）",
    404: "对象不存在或不在可见范围内（Not found）",
    409: "对象已被修改或操作已完成（Conflict）",
    422: "参数不符合格式（Unprocessable）",
}
# A write may store a file (an attachment, an import, an export's result); a full or read-only store
# refuses it with 503 before anything is saved (luoshi.core.storage). Reads never store.
WRITE_RESPONSES = {503: "服务器的文件存储已满或不可写，未保存任何内容（Unavailable）"}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}]},
        "problems": {"type": "array", "items": {"type": "string"}},
    },
}


class LuoshiAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                for parameter in operation.get("parameters", ()):
                    # Ids in paths are database keys: positive 64-bit integers. Anything else does
                    # not match the route at all, so it is not part of the contract.
                    if parameter.get("in") == "path" and parameter.get("schema", {}).get("type") == "integer":
                        parameter["schema"].update(minimum=1, maximum=2**63 - 1)
                responses = operation.setdefault("responses", {})
                errors = ERROR_RESPONSES if method == "get" else {**ERROR_RESPONSES, **WRITE_RESPONSES}
                for status, description in errors.items():
                    if status not in responses and str(status) not in responses:
                        responses[status] = {"description": description, "content": reference}
        return schema


api = LuoshiAPI(
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


# pydantic's messages are English whatever the reader's language; the kinds a person meets are
# said again in it, with the limit. Others keep pydantic's text. The body keeps ninja's shape.
INVALID_MESSAGES = {
    "string_too_long": gettext_lazy("最多%(max_length)s个字符。"),
    "string_too_short": gettext_lazy("至少%(min_length)s个字符。"),
    "too_long": gettext_lazy("最多%(max_length)s项。"),
    "missing": gettext_lazy("必填。"),
    "int_parsing": gettext_lazy("应为整数。"),
    "int_type": gettext_lazy("应为整数。"),
    "decimal_parsing": gettext_lazy("应为数字。"),
    "decimal_max_digits": gettext_lazy("数字最多%(max_digits)s位。"),
    "decimal_max_places": gettext_lazy("小数最多%(decimal_places)s位。"),
    "greater_than_equal": gettext_lazy("应不小于%(ge)s。"),
    "less_than_equal": gettext_lazy("应不大于%(le)s。"),
    "greater_than": gettext_lazy("应大于%(gt)s。"),
    "less_than": gettext_lazy("应小于%(lt)s。"),
    "date_from_datetime_parsing": gettext_lazy("应为日期，如2026-12-31。"),
    "date_parsing": gettext_lazy("应为日期，如2026-12-31。"),
    "date_type": gettext_lazy("应为日期，如2026-12-31。"),
    "bool_parsing": gettext_lazy("应为 true 或 false。"),
    "json_invalid": gettext_lazy("不是有效的 JSON。"),
}


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    """422 with each problem's message in the request's language (and pydantic's fields kept)."""
    problems = []
    for error in exc.errors:
        error = dict(error)
        message = INVALID_MESSAGES.get(error.get("type", ""))
        if message is not None:
            try:
                error["msg"] = str(message) % (error.get("ctx") or {})
            except (KeyError, TypeError, ValueError):
                pass  # a context without the figure: pydantic's own text stays
        problems.append(error)
    return api.create_response(request, {"detail": problems}, status=422)


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
