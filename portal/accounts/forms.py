from django import forms
from django.utils.translation import gettext_lazy as _


class PasswordResetRequestForm(forms.Form):
    """The address to send a reset link to. Nothing is looked up here: the action does
    that, and the view answers the same whatever it finds."""

    email = forms.EmailField(
        label=_("Email"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
