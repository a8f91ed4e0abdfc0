from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The modules in the order a user meets them.
NAV_ITEMS = [
    ("home", _("工作台"), "home"),
    ("tasks", _("任务"), "tasks:list"),
    ("directives", _("来源文件"), "directives:list"),
    ("supervision", _("督办"), "supervision:board"),
    ("projects", _("项目"), "projects:ledger"),
    ("requests", _("诉求"), "requests:ledger"),
    ("indicators", _("指标"), "indicators:index"),
    ("reports", _("报表"), "reports:index"),
    ("directory", _("通讯录"), "orgs:units"),
]


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    items = []
    current = request.resolver_match.namespace if request.resolver_match else ""
    for key, label, url_name in NAV_ITEMS:
        url = reverse(url_name)
        active = current == key or (url_name == "home" and request.resolver_match and request.resolver_match.url_name == "home")
        if key == "directory":
            active = current == "orgs"
        items.append({"key": key, "label": label, "url": url, "active": active})
    return {"nav_items": items}
