"""The people admin's forms: a person's basic info and membership, bulk actions and
saving a filter. Errors are Django's and ours, translated (fi, sv, en)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.branches.models import BranchPage
from portal.people.forms import register_owned
from portal.people.models import MembershipStatus, Person
from portal.people.validators import validate_phone

BASIC_FIELDS = ("first_name", "last_name", "alternative_name", "birth_date", "email", "phone",
                "street_address", "postal_code", "city", "preferred_language")
MEMBERSHIP_FIELDS = ("member_number", "membership_status", "branch", "joined_on",
                     "membership_valid_until")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.ModelForm):
    """Basic info and membership of one of the union's people. The branch is chosen by
    typing (thousands of branches: never a <select>); only the union's live branches
    validate, whatever is posted. Register-owned fields are read-only one way."""

    class Meta:
        model = Person
        fields = BASIC_FIELDS + MEMBERSHIP_FIELDS
        widgets = {"branch": forms.HiddenInput, "birth_date": DATE, "joined_on": DATE,
                   "membership_valid_until": DATE}

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = BranchPage.objects.for_union(union).live()
        self.fields["branch"].error_messages["invalid_choice"] = _(
            "Choose a branch of your own union.")
        self.locked = register_owned(union, "people")
        for name in self.locked:
            self.fields[name].disabled = True

    def clean_phone(self):
        # Checked when typed here: a number the register sent as it is (or a locked
        # field) must not stop an edit of something else.
        phone = self.cleaned_data["phone"]
        if phone and "phone" in self.changed_data and "phone" not in self.locked:
            validate_phone(phone)
        return phone

    def clean(self):
        cleaned = super().clean()
        joined, valid = cleaned.get("joined_on"), cleaned.get("membership_valid_until")
        if joined and valid and valid < joined:
            self.add_error("membership_valid_until",
                           _("The membership cannot end before the person joined."))
        return cleaned

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data
                if name not in self.locked}

    def basic(self):
        return [self[name] for name in BASIC_FIELDS]

    def membership(self):
        return [self[name] for name in MEMBERSHIP_FIELDS if name != "branch"]


class BulkForm(forms.Form):
    """An action on the list's selection: the ticked people, or every match."""

    STATUS, GROUP, XLSX, CSV = "status", "group", "xlsx", "csv"
    action = forms.ChoiceField(label=_("Action"), choices=(
        (STATUS, _("Change membership status")),
        (GROUP, _("Add to group")),
        (XLSX, _("Export to Excel")),
        (CSV, _("Export to CSV")),
    ))
    selection = forms.ChoiceField(choices=(("ticked", "ticked"), ("all", "all")),
                                  initial="ticked", widget=forms.RadioSelect)
    status = forms.ChoiceField(label=_("New status"), required=False,
                               choices=[("", "—")] + list(MembershipStatus.choices))
    group = forms.CharField(label=_("Group"), required=False)
    filters = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, ids=(), group_choices=None, **kwargs):
        # The list page holds the filters too, with their own status and group: the
        # bulk bar's ids differ, so its labels lead to its own fields.
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        self.ids = ids  # the ticked ids, looked up among the union's people by the view
        if group_choices is None:
            self.fields["action"].choices = [
                c for c in self.fields["action"].choices if c[0] != self.GROUP]
            del self.fields["group"]
        else:
            self.fields["group"] = forms.ChoiceField(
                label=_("Group"), required=False, choices=[("", "—")] + list(group_choices))

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == self.STATUS and not cleaned.get("status"):
            self.add_error("status", _("Choose the new membership status."))
        if action == self.GROUP and not cleaned.get("group"):
            self.add_error("group", _("Choose the group."))
        if cleaned.get("selection") != "all" and not self.ids:
            raise forms.ValidationError(_("Tick the people first, or choose every match."))
        return cleaned


class SaveFilterForm(forms.Form):
    name = forms.CharField(label=_("Name of the filter"), max_length=100)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
