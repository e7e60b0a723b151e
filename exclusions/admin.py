from django.contrib import admin

from exclusions.models import ExclusionRules, ReasonCode


@admin.register(ExclusionRules)
class ExclusionRulesAdmin(admin.ModelAdmin):
    """The guidance's numbers: a change in guidance is a change here, not in code."""

    def has_add_permission(self, request):
        return not ExclusionRules.objects.exists()


@admin.register(ReasonCode)
class ReasonCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "is_active"]
    list_filter = ["is_active"]
