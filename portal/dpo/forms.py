from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit.models import AuditAction

from .selectors import Filters


class ReviewForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False, max_length=100,
                            help_text=_("Name or email of the account"))
    person = forms.CharField(label=_("Whose data"), required=False, max_length=100,
                             help_text=_("Name or member number"))
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("All"))] + list(AuditAction.choices))
    target = forms.CharField(label=_("Target begins with"), required=False, max_length=200)
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}

        def day(value: dt.date | None, extra: int = 0):
            if value is None:
                return None
            return timezone.make_aware(dt.datetime.combine(value + dt.timedelta(days=extra),
                                                           dt.time()))

        return Filters(actor=data.get("actor", ""), person=data.get("person", ""),
                       action=data.get("action", ""), target=data.get("target", ""),
                       since=day(data.get("since")), until=day(data.get("until"), 1))


class DesignateForm(forms.Form):
    email = forms.EmailField(label=_("Email of the account"))

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(union=self.union, email__iexact=email,
                                               is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account of this union has that email."))
        self.user = user
        return email


class ViewersSettingForm(forms.Form):
    show_viewers_to_members = forms.BooleanField(
        label=_("Members see who viewed their data"), required=False,
        help_text=_("A member's profile lists the officials who viewed their data; staff "
                    "are shown as union staff."))
