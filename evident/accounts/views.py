from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from evident.accounts.forms import SignInForm
from evident.accounts.policies import public, signed_in


@public
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@signed_in
class SignOutView(auth_views.LogoutView):
    """POST only (Django 5): signing out is a state change."""

    next_page = "accounts:signed_out"


@public
@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


def locked_out(
    request: HttpRequest, credentials: object = None, *args: object, **kwargs: object
) -> HttpResponse:
    """django-axes lockout: the same page and message as a wrong password (security.md R8),
    so a locked account cannot be told from an unknown one."""
    username = request.POST.get("username", "")[:150]
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": SignInForm(request, initial={"username": username}),
            "summary_errors": [SignInForm.error_messages["invalid_login"]],
            "next": request.GET.get("next", ""),
        },
    )
