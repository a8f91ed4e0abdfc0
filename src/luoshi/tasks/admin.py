"""Read-mostly admin for tasks: the pages and services are where work is done; the admin is for
looking things up. Reports, transitions and instructions are records: never edited here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attachment, ExtensionRequest, Instruction, Milestone, ProgressReport, Task, TaskTransition


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "kind", "lead_unit", "deadline", "status", "health")
    list_filter = ("status", "health", "kind")
    search_fields = ("title", "number", "tags")
    raw_id_fields = ("parent", "directive", "lead_leader", "lead_unit", "responsible_person", "created_by")
    readonly_fields = ("status", "version", "health", "health_reasons", "expected_percent", "progress_percent")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("task", "unit", "period_key", "percent", "submitted_on", "late", "superseded")
    list_filter = ("late", "superseded")


@admin.register(TaskTransition)
class TaskTransitionAdmin(ReadOnlyAdmin):
    list_display = ("task", "action", "from_status", "to_status", "actor", "created_at")


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyAdmin):
    list_display = ("task", "author", "created_at")


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ("task", "unit", "old_deadline", "new_deadline", "status", "decided_by")
    list_filter = ("status",)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "task", "size", "uploaded_by", "uploaded_at")


admin.site.register(Milestone)
