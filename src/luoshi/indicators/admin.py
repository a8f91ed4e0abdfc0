from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "indicator_set", "direction", "measure_unit", "weight", "responsible_unit", "target_rank"]
    list_filter = ["indicator_set", "direction"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["responsible_unit"]


@admin.register(ObservationImport)
class ObservationImportAdmin(admin.ModelAdmin):
    list_display = ["indicator_set", "filename", "actor", "created_count", "changed_count", "unchanged_count", "created_at"]
    readonly_fields = [f.name for f in ObservationImport._meta.fields]


@admin.register(IndicatorTask)
class IndicatorTaskAdmin(admin.ModelAdmin):
    list_display = ["indicator", "task", "period_key", "rank_at_creation", "created_by", "created_at"]
    raw_id_fields = ["indicator", "task"]
