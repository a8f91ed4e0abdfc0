from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DecompositionItem, Directive


@admin.register(Directive)
class DirectiveAdmin(SimpleHistoryAdmin):
    # Read-mostly: the decomposition page and the services are where directives change.
    list_display = ["title", "kind", "issuer", "issued_on", "date_confirmed", "status"]
    list_filter = ["kind", "status", "date_confirmed"]
    search_fields = ["title", "issuer"]
    readonly_fields = ["status", "created_by", "created_at", "updated_at"]


@admin.register(DecompositionItem)
class DecompositionItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "directive", "position", "state", "lead_unit", "deadline", "task"]
    list_filter = ["state", "origin"]
    search_fields = ["title", "measures"]
    raw_id_fields = ["directive", "parent", "task", "lead_leader", "lead_unit"]
    readonly_fields = ["state", "task", "version"]
