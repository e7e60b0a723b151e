from django import forms
from django.contrib.auth import authenticate

from config.govuk import GovukForm


class SignInForm(GovukForm):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            self.user = authenticate(self.request, username=email.lower(), password=password)
            if self.user is None:
                raise forms.ValidationError(
                    "Enter a correct email address and password", code="invalid_login"
                )
        return cleaned


class SwitchOrganisationForm(GovukForm):
    membership = forms.TypedChoiceField(
        label="Which organisation are you working for?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the organisation you are working for"},
    )

    def __init__(self, memberships, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [
            (m.pk, f"{m.organisation.name} ({m.get_role_display()})") for m in memberships
        ]


class TokenForm(GovukForm):
    token = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\d{6}$",
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "invalid": "Enter the code as 6 digits, like 123456",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "class": "govuk-input--width-5"}
        ),
    )  # fmt: skip

    def full_clean(self):
        # Codes are often typed as the app shows them, "123 456", or pasted with a dash.
        if self.data and "token" in self.data:
            data = self.data.copy()
            data["token"] = "".join(ch for ch in data["token"] if ch.isdigit() or ch.isalpha())
            self.data = data
        super().full_clean()


class ResetRequestForm(GovukForm):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )


class NewPasswordForm(GovukForm):
    new_password1 = forms.CharField(
        label="New password",
        strip=False,
        help_text="At least 12 characters; not a common password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a new password"},
    )
    new_password2 = forms.CharField(
        label="Confirm the new password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the new password again"},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "The passwords do not match")
        elif first:
            try:
                validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned


class OwnTokenForm(GovukForm):
    name = forms.CharField(
        label="Name",
        help_text="What will use it, like 'My reporting spreadsheet'",
        max_length=100,
        error_messages={"required": "Enter a name for the token"},
    )
    read_only = forms.BooleanField(label="Read only", required=False, initial=True)

    def offer_schools(self, schools) -> None:
        """A member of staff at more than one school chooses the one the token acts for."""
        if len(schools) < 2:
            return
        self.fields["school"] = forms.TypedChoiceField(
            label="School the token acts for",
            help_text="A token sends referrals and notices for one school only",
            choices=[(str(school.pk), school.name) for school in schools],
            coerce=lambda pk: next(s for s in schools if str(s.pk) == pk),
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the school the token acts for"},
        )
        self.order_fields(["school", "name", "read_only"])


class SystemTokenForm(OwnTokenForm):
    """A school's management information system: an account of its own, and its token."""

    school = forms.ModelChoiceField(
        label="School", queryset=None, error_messages={"required": "Choose the school"}
    )

    def __init__(self, authorities, *args, **kwargs):
        from accounts.models import Organisation, OrganisationKind

        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = "The school's system, like 'Oak Academy MIS'"
        self.fields["school"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.SCHOOL, local_authority__in=authorities, is_active=True
        ).order_by("name")
        self.order_fields(["school", "name", "read_only"])


def _authority_organisations(authorities):
    from django.db.models import Q

    from accounts.models import Organisation

    return Organisation.objects.filter(
        Q(local_authority__in=authorities) | Q(pk__in=authorities), is_active=True
    ).order_by("kind", "name")


class MembershipForm(GovukForm):
    """Where someone works and what they do there: each role belongs to one kind of
    organisation (a caseworker to a service, a screener to a gateway)."""

    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=None,
        error_messages={"required": "Choose the organisation they work for"},
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they do there"},
    )

    def __init__(self, authorities, *args, **kwargs):
        from accounts.models import Role

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _authority_organisations(authorities)
        self.fields["organisation"].label_from_instance = lambda o: (
            f"{o.name} ({o.get_kind_display().lower()})"
        )
        self.fields["role"].choices = Role.choices


class NewUserForm(MembershipForm):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter their full name"}
    )
    email = forms.EmailField(
        label="Email address",
        help_text="Their work address: they are sent a link there to set their password",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["full_name", "email", "job_title", "organisation", "role"])


class PeopleSearchForm(GovukForm):
    q = forms.CharField(label="Name or email address", required=False, max_length=150)
