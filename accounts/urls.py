from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("organisation/", views.switch_organisation, name="switch-organisation"),
    path("find/", views.find_reference, name="find"),
    path("keep-alive/", views.keep_alive, name="keep-alive"),
    path("people/", views.people, name="people"),
    path("people/new/", views.add_person, name="add-person"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/roles/<int:membership_pk>/end/", views.end_role, name="end-role"),
    path("people/<int:pk>/reset-two-factor/", views.reset_two_factor, name="reset-two-factor"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("account/api-tokens/", views.my_api_tokens, name="my-api-tokens"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
]
