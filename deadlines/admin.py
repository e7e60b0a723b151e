from django.contrib import admin

from deadlines.models import DeadlineKind, InsetDay, Notification, ReminderStep, Term


class ReminderStepInline(admin.TabularInline):
    model = ReminderStep
    extra = 1
    fields = ["offset", "counting", "label"]


@admin.register(DeadlineKind)
class DeadlineKindAdmin(admin.ModelAdmin):
    """Kinds of deadline and their reminder schedules: an offset from the due date, negative
    before it, zero on the day, positive once overdue."""

    list_display = ["name", "code", "counting", "default_length"]
    inlines = [ReminderStepInline]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["academic_year", "name", "authority", "school", "start_date", "end_date"]
    list_filter = ["academic_year", "authority"]


@admin.register(InsetDay)
class InsetDayAdmin(admin.ModelAdmin):
    list_display = ["date", "authority", "school"]
    list_filter = ["authority"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by the reminder sweep and the delivery task."""

    list_display = ["recipient", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    fields = ["recipient", "status", "attempts", "last_error", "created_at", "sent_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
