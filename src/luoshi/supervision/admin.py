from django.contrib import admin

from .models import Channel, Delivery, EscalationProposal, Message, ReviewRound, SupervisionAction


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["unit", "kind", "name", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["unit__name", "name"]
    list_editable = ["active"]


class ReadOnly(admin.ModelAdmin):
    """Written only through luoshi.supervision.services; the admin is for looking."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupervisionAction)
class ActionAdmin(ReadOnly):
    list_display = ["number", "kind", "unit", "status", "reply_due", "issued_on"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "reason", "unit__name"]


@admin.register(EscalationProposal)
class ProposalAdmin(ReadOnly):
    list_display = ["proposed_on", "rule", "kind", "unit", "status"]
    list_filter = ["rule", "status"]


@admin.register(Message)
class MessageAdmin(ReadOnly):
    list_display = ["created_at", "kind", "unit", "title"]
    list_filter = ["kind"]
    search_fields = ["title", "key"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ["pk", "via", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["via", "status"]


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnly):
    list_display = ["title", "opened_on", "due_on", "status"]
