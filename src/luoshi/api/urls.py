"""The JSON API: one NinjaAPI, with a router from each app that has an `api` module."""

from importlib import import_module

from django.apps import apps
from django.urls import path
from ninja import NinjaAPI

from .auth import AUTH

api = NinjaAPI(
    title="luoshi API",
    version="1",
    description="落实：目标任务分解与督查督办。Token: `Authorization: Bearer <token>` (`luoshi token USERNAME`).",
    auth=AUTH,
    urls_namespace="api",
)

for config in apps.get_app_configs():
    if not config.name.startswith("luoshi.") or config.name == "luoshi.api":
        continue
    try:
        module = import_module(f"{config.name}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{config.name}.api":
            raise
        continue
    api.add_router(f"/{config.label}/", module.router, tags=[str(config.verbose_name)])

urlpatterns = [path("", api.urls)]
