from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit.models import AuditAction
from portal.privacy.registry import Category

from .models import BreachWorksheet
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


def _when(label, **kwargs):
    return forms.DateTimeField(label=label, widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"), **kwargs)


class WorksheetForm(forms.ModelForm):
    """The breach worksheet; the account is given by its email and must be the union's."""

    account_email = forms.EmailField(
        label=_("Account involved (email)"), required=False,
        help_text=_("The account whose use caused the suspicion, if any."))
    data_categories = forms.MultipleChoiceField(
        label=_("Kinds of data"), required=False, choices=Category.choices,
        widget=forms.CheckboxSelectMultiple)
    discovered_at = _when(_("The union became aware"), help_text=_(
        "The 72 hours to the report run from here."))
    reported_at = _when(_("Reported to the authority"), required=False, help_text=_(
        "When the report was made to the Data Protection Ombudsman "
        "(Tietosuojavaltuutettu)."))
    people_informed_at = _when(_("People informed"), required=False)
    closed_at = _when(_("Closed"), required=False)

    class Meta:
        model = BreachWorksheet
        fields = ["what_happened", "account_email", "people_affected", "data_categories",
                  "discovered_at", "measures", "reported_at", "authority_reference",
                  "not_reported_reason", "people_informed_at", "informing_note", "closed_at"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in (
            "what_happened", "measures", "not_reported_reason", "informing_note")}
        help_texts = {
            "people_affected": _("Prefilled from the alert's evidence; correct it."),
            "not_reported_reason": _("A breach unlikely to risk people's rights need not be "
                                     "reported, but the reason is documented here."),
        }

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        self.account = self.instance.account if self.instance.pk else None
        if not self.initial.get("people_affected") and not self.instance.alert_id:
            # Nothing was prefilled: no alert's evidence to correct.
            self.fields["people_affected"].help_text = _(
                "How many people's data it concerns, as far as is known.")
        if self.account is not None and "account_email" not in self.initial:
            self.initial["account_email"] = self.account.email

    def clean_account_email(self):
        email = self.cleaned_data["account_email"]
        self.account = None
        if email:
            self.account = get_user_model().objects.filter(
                union=self.union, email__iexact=email).first()
            if self.account is None:
                raise forms.ValidationError(_("No account of this union has that email."))
        return email

    def values(self) -> dict:
        data = self.cleaned_data
        return {**{name: data[name] for name in self.Meta.fields if name != "account_email"},
                "account": self.account}
