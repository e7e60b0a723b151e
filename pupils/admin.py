from django.contrib import admin

from pupils import services
from pupils.models import School


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    """Schools are configuration. A new school also gets its organisation, through the service."""

    list_display = ["name", "urn", "establishment_number", "phase", "school_type"]
    list_filter = ["phase", "school_type"]
    search_fields = ["name", "urn"]
    fields = ["name", "urn", "establishment_number", "phase", "school_type", "authority"]

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else self.fields[:-1]

    def get_form(self, request, obj=None, **kwargs):
        from django import forms

        from accounts.models import Organisation, OrganisationKind

        if obj is None:
            form = forms.modelform_factory(School, fields=self.fields[:-1], formfield_callback=None)
            form.base_fields["authority"] = forms.ModelChoiceField(
                Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY)
            )
            return form
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.create_school(
            request.user,
            authority=form.cleaned_data["authority"],
            urn=obj.urn,
            establishment_number=obj.establishment_number,
            name=obj.name,
            phase=obj.phase,
            school_type=obj.school_type,
        )
        obj.pk = created.pk
        obj.organisation = created.organisation
