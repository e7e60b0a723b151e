from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts import home as home_pages
from accounts.forms import SignInForm, SwitchOrganisationForm, TokenForm
from accounts.middleware import SESSION_KEY
from accounts.models import Membership, Organisation, Role
from accounts.policy import RoleMayNotAct, active_memberships, administers_any_authority
from config.errors import DomainError
from config.pages import form_page, posted
from config.pagination import query_without_page


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        return redirect(next_url or "accounts:home")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url}, status=status)


class SignOutView(auth_views.LogoutView):
    template_name = "accounts/signed_out.html"


def _team(request, membership) -> dict:
    """Gateway and service staff see who they work with; an LA administrator, the authority's
    organisations and how many are active in each."""
    user, role = request.user, membership.role
    if role in {Role.GATEWAY_SCREENER, Role.CASEWORKER, Role.SERVICE_MANAGER}:
        return {
            "team": Membership.objects.visible_to(user)
            .active()
            .filter(organisation=membership.organisation)
            .select_related("user")
        }
    if role == Role.LA_ADMINISTRATOR:
        return {
            "organisations": Organisation.objects.filter(local_authority=membership.organisation)
            .exclude(kind="school")
            .annotate(members=Count("memberships", filter=Q(memberships__ended_at__isnull=True)))
        }
    return {}


home_pages.register(_team)


def home(request):
    membership = request.membership
    if not membership:
        return render(request, "home/no_membership.html", status=403)
    return render(
        request, f"home/{membership.role}.html", home_pages.context_for(request, membership)
    )


def keep_alive(request):
    """ "Stay signed in" on the timeout warning renews the session at once (WCAG 2.2.1)."""
    from django.http import HttpResponse

    from accounts.middleware import renew

    renew(request.session)
    return HttpResponse(status=204)


def find_reference(request):
    """The header's search by reference: straight to the record, or a page that says no record
    the user can see has that reference."""
    from accounts import finder

    text = request.GET.get("reference", "").strip()[:40]
    if text:
        url = finder.find(request.user, text)
        if url:
            return redirect(url)
    return render(
        request, "accounts/find_reference.html", {"reference": text}, status=404 if text else 200
    )


@require_http_methods(["GET", "POST"])
def switch_organisation(request):
    memberships = active_memberships(request.user)
    current = request.membership
    form = SwitchOrganisationForm(
        memberships,
        data=request.POST if request.method == "POST" else None,
        initial={"membership": current.pk if current else None},
    )
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = form.cleaned_data["membership"]
        chosen = next(m for m in memberships if m.pk == form.cleaned_data["membership"])
        messages.success(request, f"You are now working for {chosen.organisation.name}.")
        return redirect("accounts:home")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/switch_organisation.html", {"form": form}, status=status)


def _next(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return "/"
    return target or "/"


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Scan a QR code into an authenticator app, then type its code to confirm."""
    import qrcode
    import qrcode.image.svg
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import services

    verified = request.user.is_verified()
    if services.has_authenticator(request.user) and not verified:
        # Adding another authenticator needs the first one's code: a password alone is not
        # enough to give oneself a new second factor.
        messages.info(request, "Enter the code from your authenticator app first.")
        return redirect(f"{reverse('accounts:two-factor')}?next={request.path}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = services.start_two_factor_setup(request.user, verified=verified)
    form = TokenForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_two_factor(
                request.user, device, token=form.cleaned_data["token"].strip(), verified=verified
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            otp_login(request, device)
            messages.success(request, "Two-factor authentication is on for your account.")
            return redirect(_next(request))
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    secret = _base32(device.bin_key)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": image.to_string(encoding="unicode"),
            # In groups of four, so that it wraps at 320 pixels and can be read out and typed.
            "secret_grouped": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next(request),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


@require_http_methods(["GET", "POST"])
def two_factor(request):
    from django_otp import login as otp_login
    from django_otp import match_token

    form = TokenForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is None:
            form.add_error(
                "token", "The code is not right: enter the 6-digit code your app shows now"
            )
        else:
            otp_login(request, device)
            return redirect(_next(request))
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "next": _next(request)},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Ask for a reset link. The answer is the same whether or not the address has an account."""

    from accounts.forms import ResetRequestForm
    from accounts.services import send_password_reset

    form = ResetRequestForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        send_password_reset(
            form.cleaned_data["email"],
            reset_url_for=_reset_link,
        )
        return render(request, "accounts/password_reset_sent.html")
    return render(
        request,
        "accounts/password_reset.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request, uidb64, token):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_decode

    from accounts.forms import NewPasswordForm
    from accounts.models import User
    from accounts.services import set_password

    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode(), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/password_reset_invalid.html", status=400)
    form = NewPasswordForm(user, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        set_password(user, user, form.cleaned_data["new_password1"])
        messages.success(request, "Your password has been changed. Sign in with it now.")
        return redirect("accounts:sign-in")
    return render(
        request,
        "accounts/password_reset_confirm.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def api_tokens(request):
    """LA administrators see every API token used in their authority, with its last use, and
    revoke any; they give a school's management information system an account and a token of
    its own. They never issue a token for a member of staff, who issues their own."""
    from accounts import services
    from accounts.forms import SystemTokenForm
    from accounts.models import ApiToken
    from accounts.policy import administered_authority_ids

    authorities = administered_authority_ids(request.user)
    if not authorities:
        raise RoleMayNotAct
    tokens = ApiToken.objects.filter(
        user__memberships__organisation__local_authority__in=authorities,
        user__memberships__ended_at__isnull=True,
    ).distinct()
    if request.method == "POST" and "revoke" in request.POST:
        return _revoke(request, tokens, "accounts:api-tokens")
    form = SystemTokenForm(authorities, data=posted(request))
    issued_key = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                system = services.create_system_account(
                    request.user, school=data["school"], name=data["name"]
                )
                _, issued_key = services.issue_api_token(
                    request.user, system, name=data["name"], read_only=data["read_only"]
                )
        except DomainError as error:
            form.add_domain_error(error)
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens.select_related("user", "school"), "issued_key": issued_key,
         "administrator": True},
        status=400 if form.is_bound and form.errors else 200,
    )  # fmt: skip


def my_api_tokens(request):
    """Anyone may issue a token that acts as themselves, once they have used their
    authenticator app this session, and revoke their own."""
    from accounts import services
    from accounts.forms import OwnTokenForm
    from accounts.models import ApiToken
    from accounts.policy import school_staff_organisations

    tokens = ApiToken.objects.filter(user=request.user).select_related("school")
    if request.method == "POST" and "revoke" in request.POST:
        return _revoke(request, tokens, "accounts:my-api-tokens")
    form = OwnTokenForm(data=posted(request))
    form.offer_schools(school_staff_organisations(request.user))
    issued_key = None
    verified = request.user.is_verified()
    if request.method == "POST" and form.is_valid():
        try:
            _, issued_key = services.issue_api_token(
                request.user, request.user, name=form.cleaned_data["name"],
                read_only=form.cleaned_data["read_only"], verified=verified,
                school=form.cleaned_data.get("school"),
            )  # fmt: skip
        except DomainError as error:
            form.add_domain_error(error)
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "issued_key": issued_key, "verified": verified},
        status=400 if form.is_bound and form.errors else 200,
    )


def _revoke(request, tokens, back: str):
    from accounts import services

    chosen = request.POST["revoke"]
    token = tokens.filter(pk=chosen).first() if chosen.isdigit() else None
    if token is None:
        messages.error(request, "That token was not found: it may have been revoked already.")
    else:
        try:
            services.revoke_api_token(request.user, token)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"“{token.name}” is revoked.")
    return redirect(back)


@login_not_required
def accessibility_statement(request):
    """Public sector bodies must publish an accessibility statement (The Public Sector Bodies
    (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018), in the structure of
    GOV.UK's sample statement."""
    return render(request, "accounts/accessibility.html")


# ---- the LA administrator's people pages ---------------------------------------------------


def _administered_person(request, pk):
    from django.shortcuts import get_object_or_404

    from accounts.selectors import people_administered_by

    if not administers_any_authority(request.user):
        raise RoleMayNotAct
    return get_object_or_404(people_administered_by(request.user), pk=pk)


def people(request):
    """The authority's people, found by name or e-mail, each with their current roles."""
    from django.db.models import Prefetch

    from accounts.forms import PeopleSearchForm
    from accounts.selectors import people_administered_by
    from config.pagination import Paginator

    if not administers_any_authority(request.user):
        raise RoleMayNotAct
    form = PeopleSearchForm(data=request.GET or None)
    found = people_administered_by(request.user)
    if form.is_valid() and form.cleaned_data["q"]:
        text = form.cleaned_data["q"].strip()
        found = found.filter(Q(full_name__icontains=text) | Q(email__icontains=text))
    found = found.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.active().select_related("organisation"),
            to_attr="current",
        )
    ).order_by("full_name", "pk")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/people.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def add_person(request):
    from accounts import services
    from accounts.forms import NewUserForm
    from accounts.policy import administered_authority_ids

    authorities = administered_authority_ids(request.user)
    if not authorities:
        raise RoleMayNotAct
    form = NewUserForm(authorities, data=posted(request))

    def save(data):
        user = services.add_user(
            request.user, email=data["email"], full_name=data["full_name"],
            job_title=data["job_title"], organisation=data["organisation"], role=data["role"],
        )  # fmt: skip
        services.send_password_reset(user.email, reset_url_for=_reset_link)
        return user

    return form_page(
        request, form, template="accounts/add_person.html", context={}, save=save,
        done=lambda user: reverse("accounts:person", args=[user.pk]),
        message=lambda user: f"{user.full_name} has been added and sent a link to set a password.",
    )  # fmt: skip


def _reset_link(uid, token) -> str:
    """The link in a password e-mail, on the service's own address (never the request's Host)."""
    return django_settings.SITE_URL.rstrip("/") + reverse(
        "accounts:password-reset-confirm", args=[uid, token]
    )


def person(request, pk):
    """One person: their roles (ended with confirmation), a new role, and their
    authenticator app (reset when a phone is lost)."""
    from accounts import services
    from accounts.forms import MembershipForm
    from accounts.policy import administered_authority_ids
    from accounts.services import has_authenticator

    user = _administered_person(request, pk)
    form = MembershipForm(administered_authority_ids(request.user), data=posted(request))
    memberships = user.memberships.select_related("organisation").order_by("ended_at", "pk")
    return form_page(
        request, form, template="accounts/person.html",
        context={"person": user, "memberships": memberships,
                 "has_authenticator": has_authenticator(user),
                 "events": user.account_events.order_by("-at")[:10]},
        save=lambda data: services.grant_membership(
            request.user, user, data["organisation"], data["role"]
        ),
        done=reverse("accounts:person", args=[user.pk]),
        message=lambda m: f"{user.full_name} is now {m.get_role_display().lower()} at "
        f"{m.organisation.name}.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def end_role(request, pk, membership_pk):
    from django.shortcuts import get_object_or_404

    from accounts import services

    user = _administered_person(request, pk)
    membership = get_object_or_404(
        user.memberships.active().select_related("organisation"), pk=membership_pk
    )
    what = f"{membership.get_role_display().lower()} at {membership.organisation.name}"
    error = ""
    if request.method == "POST":
        try:
            services.end_membership(request.user, membership)
        except DomainError as problem:
            error = problem.message
        else:
            messages.success(request, f"{user.full_name} is no longer {what}.")
            return redirect("accounts:person", pk=user.pk)
    return render(
        request, "accounts/confirm.html",
        {"person": user, "title": f"End {user.full_name}'s role as {what}?", "error": error,
         "explanation": "They can no longer work for this organisation or see its records. "
         "Their other roles are not changed, and you can give this one back later.",
         "button": "End the role"},
        status=400 if error else 200,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def reset_two_factor(request, pk):
    from accounts import services

    user = _administered_person(request, pk)
    error = ""
    if request.method == "POST":
        try:
            services.reset_two_factor(request.user, user)
        except DomainError as problem:
            error = problem.message
        else:
            messages.success(
                request,
                f"{user.full_name}'s authenticator app has been reset. They set up a new one "
                "the next time they sign in, and have been told by e-mail.",
            )
            return redirect("accounts:person", pk=user.pk)
    return render(
        request, "accounts/confirm.html",
        {"person": user, "title": f"Reset {user.full_name}'s authenticator app?", "error": error,
         "explanation": "Do this when they have lost or replaced their phone. Their app stops "
         "working at once; the next time they sign in they scan a new QR code. They are told "
         "by e-mail.",
         "button": "Reset the authenticator app"},
        status=400 if error else 200,
    )  # fmt: skip
