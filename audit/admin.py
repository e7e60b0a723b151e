from django.contrib import admin

from audit.models import RetentionRule, RetentionRun


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["record_kind", "keep_until_age", "is_active"]


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    """Read-only: what each run (and dry run) anonymised."""

    list_display = ["ran_at", "dry_run"]
    readonly_fields = ["ran_at", "dry_run", "pupils"]

    def has_add_permission(self, request):
        return False
