"""The forms of the life-events screens; each explains its errors in the user's language."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.adminpanel.forms import PageChoiceField, PageCombobox
from portal.adminpanel.links import organisation_choices_url
from portal.branches.models import BranchPage
from portal.people.models import Person

from .models import LinkKind, StatusKind

_DATE = forms.DateInput(attrs={"type": "date"})


class StatusForm(forms.Form):
    kind = forms.ChoiceField(label=_("Status"), choices=StatusKind.choices)
    starts_on = forms.DateField(label=_("From"), widget=_DATE)
    ends_on = forms.DateField(label=_("Until"), widget=_DATE,
                              help_text=_("The status ends by itself after this day."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("A status cannot end before it starts."))
        return data


class LinkForm(forms.Form):
    member_number = forms.CharField(
        label=_("Member number of the other person"), max_length=20,
        help_text=_("Both people must be in your union."))
    kind = forms.ChoiceField(label=_("Relation"), choices=LinkKind.choices)

    def __init__(self, *args, union, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.union, self.person = union, person

    def clean_member_number(self):
        number = self.cleaned_data["member_number"].strip()
        other = Person.objects.for_union(self.union).filter(member_number=number).first()
        if other is None:
            raise forms.ValidationError(_("Nobody in your union has this member number."))
        if other.pk == self.person.pk:
            raise forms.ValidationError(_("A person cannot be linked to themself."))
        self.other = other
        return number


class AlternativeNameForm(forms.Form):
    alternative_name = forms.CharField(
        label=_("Alternative spellings"), max_length=200, required=False,
        help_text=_("The name in another script or spelling, e.g. Cyrillic. Separate "
                    "several with semicolons. Staff find the person by each of them."))


class DeceasedForm(forms.Form):
    deceased_on = forms.DateField(label=_("Date of death"), widget=_DATE)
    confirm = forms.BooleanField(
        label=_("I have checked that this is the right person."),
        error_messages={"required": _("Tick the box to confirm.")})

    def clean_deceased_on(self):
        day = self.cleaned_data["deceased_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of death cannot be in the future."))
        return day


class BranchFilterForm(forms.Form):
    # Thousands of branches: chosen by typing among the union's, never a <select>.
    branch = PageChoiceField(
        label=_("Branch"), queryset=BranchPage.objects.none(), required=False,
        help_text=_("Type the branch's name and choose it from the list; empty: all branches."),
        error_messages={"invalid_choice": _("Choose a branch of your union from the list.")})

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        branches = BranchPage.objects.for_union(union).live()
        self.fields["branch"].queryset = branches
        self.fields["branch"].widget = PageCombobox(
            search_url=organisation_choices_url("branch"), pages=branches)


class ReminderForm(forms.Form):
    chair_birthday_reminders = forms.BooleanField(
        label=_("Remind branch chairs of milestone birthdays"), required=False,
        help_text=_("Each Monday the chair of a branch gets an item in their activity "
                    "stream for each member of the branch who turns 50, 60, 70… that week."))
