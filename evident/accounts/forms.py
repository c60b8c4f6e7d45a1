from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from evident.core.forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    """Django's sign-in form with GOV.UK markup. The same message for an unknown user, a
    wrong password and a locked account (security.md R8)."""

    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "Enter a correct username and password",
    }
    username = forms.CharField(
        label="Username",
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autofocus": True, "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
