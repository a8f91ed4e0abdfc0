from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from .evaluation import store_scores
from .models import Entity, Indicator, IndicatorSet, IndicatorTask, ObservationImport, Period


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["sort_order", "code", "name", "category", "direction", "measure_unit", "weight", "responsible_unit", "target_rank"]
    autocomplete_fields = ["responsible_unit"]


class EntityInline(admin.TabularInline):
    model = Entity
    extra = 0
    fields = ["sort_order", "name", "is_us"]


class PeriodInline(admin.TabularInline):
    model = Period
    extra = 0
    fields = ["order", "key", "label"]


@admin.register(IndicatorSet)
class IndicatorSetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "tier_size", "flag_rank", "updated_at"]
    search_fields = ["name"]
    inlines = [IndicatorInline, EntityInline, PeriodInline]

    # The admin changes what scoring reads (tier size, inline indicators, entities, periods); Django
    # runs each change view in one transaction, and the stored scores are replaced inside it.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        store_scores(form.instance)

    # The history's revert form saves the set alone (save_model, never save_related), outside a
    # transaction: a reverted tier size or flag threshold must be stored again with it all the same.
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with transaction.atomic():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                store_scores(IndicatorSet.objects.get(pk=object_id))
        return response


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "indicator_set", "direction", "measure_unit", "weight", "responsible_unit", "target_rank"]
    list_filter = ["indicator_set", "direction"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["responsible_unit"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        store_scores(obj.indicator_set)

    # The history's revert form runs outside a transaction: the reverted indicator and its set's
    # stored scores are saved together or not at all.
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    def delete_model(self, request, obj):
        indicator_set = obj.indicator_set
        super().delete_model(request, obj)
        store_scores(indicator_set)

    def delete_queryset(self, request, queryset):
        sets = {i.indicator_set for i in queryset.select_related("indicator_set")}
        super().delete_queryset(request, queryset)
        for s in sets:
            store_scores(s)


@admin.register(ObservationImport)
class ObservationImportAdmin(admin.ModelAdmin):
    list_display = ["indicator_set", "filename", "actor", "created_count", "changed_count", "unchanged_count", "created_at"]
    readonly_fields = [f.name for f in ObservationImport._meta.fields]


@admin.register(IndicatorTask)
class IndicatorTaskAdmin(admin.ModelAdmin):
    list_display = ["indicator", "task", "period_key", "rank_at_creation", "created_by", "created_at"]
    raw_id_fields = ["indicator", "task"]
