from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import LoginThrottle, Unit, User


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent", "sort_order", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name", "aliases"]
    list_editable = ["sort_order", "active"]


@admin.register(User)
class PersonAdmin(SimpleHistoryAdmin, UserAdmin):
    list_display = ["username", "name", "unit", "role", "title", "phone", "is_active"]
    list_filter = ["role", "is_active", "unit__kind"]
    search_fields = ["username", "name", "title", "phone", "unit__name"]
    filter_horizontal = ["oversees"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("人员信息"), {"fields": ("name", "unit", "role", "title", "phone", "email", "sort_order")}),
        (_("领导分管"), {"fields": ("oversees", "sees_all_units")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "unit", "role", "password1", "password2")}),
    )


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    list_display = ["key", "failures", "first_failure_at", "locked_until"]
    search_fields = ["key"]
