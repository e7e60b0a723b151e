from django.contrib import admin

from referrals.models import ReferralType


@admin.register(ReferralType)
class ReferralTypeAdmin(admin.ModelAdmin):
    """Referral types are configuration: the service, the gateway, the questions, the target."""

    list_display = ["name", "service", "gateway", "allocation_target_weeks", "is_active"]
    list_filter = ["service", "gateway", "is_active"]
