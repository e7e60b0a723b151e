from django.contrib import admin

from cases.models import ServiceSettings


@admin.register(ServiceSettings)
class ServiceSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "service", "maximum_involvement_weeks", "counts_school_weeks", "minimum_contacts",
        "contact_parent_on_allocation", "confidential", "posts_parent_evaluation",
    ]  # fmt: skip
