"""The erasure confirmation and the retention setting."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.accounts import pacing

from .models import RetentionPolicy

# The pacing counter of wrong passwords on the confirmation (a stolen session must not
# get to guess the account's password here without limit).
PASSWORD_AGAIN = "erasure-password"  # noqa: S105 (a pacing kind, not a password)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


class ConfirmErasureForm(forms.Form):
    """A typed confirmation (the person's name or member number) and, where the SMS
    step-up is not enforced, the requester's password (portal/stepup: the fallback)."""

    typed = forms.CharField(label=_("Type the person's name or member number to confirm"),
                            max_length=200)
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput,
                               required=False)

    def __init__(self, *args, person, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.user, self.request = person, user, request
        if settings.STEPUP_ENFORCED:
            del self.fields["password"]
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = _(
                "Erasure cannot be undone, so it asks for your password again.")

    def clean_typed(self):
        typed = _normal(self.cleaned_data["typed"])
        accepted = {_normal(self.person.full_name), _normal(self.person.member_number)} - {""}
        if typed not in accepted:
            raise forms.ValidationError(_("This is not the person's name or member number."))
        return typed

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if "password" not in self.fields:
            return password
        if pacing.is_paced(self.request, PASSWORD_AGAIN, self.user.email):
            raise forms.ValidationError(pacing.wait_message(self.request))
        if not self.user.check_password(password):
            pacing.hit(self.request, PASSWORD_AGAIN, self.user.email)
            raise forms.ValidationError(_("The password is wrong."))
        return password


class RetentionForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = ["enabled", "years_after_membership_end"]
