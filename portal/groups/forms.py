from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.adminpanel.forms import PageChoiceField, PageCombobox
from portal.adminpanel.links import organisation_choices_url
from portal.branches.models import BranchPage
from portal.customfields.selectors import fields_of
from portal.people.models import MembershipStatus

from . import rules
from .models import Group
from .selectors import descendant_ids, tree


class GroupForm(forms.Form):
    """A group and its automation. The automation's parts are plain fields whose choices
    come from the union only; `rule()` builds the structured rule that rules.py checks."""

    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(label=_("Description"), max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    parent = forms.TypedChoiceField(label=_("Parent group"), required=False, coerce=int,
                                    empty_value=None)
    automated = forms.BooleanField(
        label=_("Keep the members in step with conditions (automation)"), required=False,
        help_text=_("Everyone who meets all the conditions below is a member; whoever no "
                    "longer does leaves. Members added by hand stay."))
    # A union has up to thousands of branches: chosen by typing, never a <select>.
    branch = PageChoiceField(
        label=_("Members of the branch"), required=False, queryset=BranchPage.objects.none(),
        help_text=_("Type the branch's name and choose it from the list."),
        error_messages={"invalid_choice": _("Choose a branch of your union from the list.")})
    age_min = forms.IntegerField(label=_("Age at least"), required=False, min_value=0,
                                 max_value=rules.MAX_AGE)
    age_max = forms.IntegerField(label=_("Age at most"), required=False, min_value=0,
                                 max_value=rules.MAX_AGE)
    statuses = forms.MultipleChoiceField(label=_("Membership status"), required=False,
                                         choices=MembershipStatus.choices,
                                         widget=forms.CheckboxSelectMultiple)
    life_event = forms.ChoiceField(label=_("Temporary status"), required=False)
    custom_field = forms.TypedChoiceField(label=_("Custom field"), required=False, coerce=int,
                                          empty_value=None)
    custom_value = forms.CharField(
        label=_("Custom field value"), required=False, max_length=200,
        help_text=_("The value the field must have; for a number or a date also a range "
                    "such as 60..64. Empty: any value."))

    def __init__(self, *args, union, group: Group | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        self.group = group
        excluded = set(descendant_ids(group)) if group else set()
        self.fields["parent"].choices = [("", "—")] + [
            (g.pk, "\u2003" * depth + g.name) for g, depth in tree(union)
            if g.pk not in excluded]
        branches = BranchPage.objects.for_union(union).live()
        self.fields["branch"].queryset = branches
        self.fields["branch"].widget = PageCombobox(
            search_url=organisation_choices_url("branch"), pages=branches)
        self.fields["life_event"].choices = [("", "—"), *rules.life_event_statuses()]
        self.fields["custom_field"].choices = [("", "—")] + [
            (f.pk, f.label) for f in fields_of(union)]
        if group is not None and not self.is_bound:
            self.initial.update(name=group.name, description=group.description,
                                parent=group.parent_id, automated=bool(group.rule))
            for condition in (group.rule or {}).get("conditions", []):
                kind = condition["kind"]
                if kind == "branch":
                    self.initial["branch"] = condition["branch"]
                elif kind == "age":
                    self.initial.update(age_min=condition["min"], age_max=condition["max"])
                elif kind == "status":
                    self.initial["statuses"] = condition["statuses"]
                elif kind == "life_event":
                    self.initial["life_event"] = condition["status"]
                elif kind == "custom_field":
                    self.initial.update(custom_field=condition["field"],
                                        custom_value=condition["value"])

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        parent = cleaned.get("parent")
        cleaned["parent"] = Group.objects.for_union(self.union).filter(pk=parent).first() \
            if parent else None
        given = [name for name in ("branch", "age_min", "age_max", "statuses", "life_event",
                                   "custom_field") if cleaned.get(name) not in (None, "", [])]
        if not cleaned.get("automated"):
            if given and (self.group is None or not self.group.rule):
                # Conditions typed without the tick were silently dropped: a manual group
                # was saved while the staff member meant an automatic one. (Unticking an
                # existing automation leaves its conditions on the form: that one turns
                # the automation off.)
                self.add_error("automated", _(
                    "You gave conditions: tick this to keep the members up to date by "
                    "them, or clear the conditions."))
                return cleaned
            cleaned["rule"] = None
            return cleaned
        conditions = []
        if cleaned.get("branch"):
            conditions.append({"kind": "branch", "branch": cleaned["branch"].pk})
        if cleaned.get("age_min") is not None or cleaned.get("age_max") is not None:
            conditions.append({"kind": "age", "min": cleaned.get("age_min"),
                               "max": cleaned.get("age_max")})
        if cleaned.get("statuses"):
            conditions.append({"kind": "status", "statuses": cleaned["statuses"]})
        if cleaned.get("life_event"):
            conditions.append({"kind": "life_event", "status": cleaned["life_event"]})
        if cleaned.get("custom_field"):
            conditions.append({"kind": "custom_field", "field": cleaned["custom_field"],
                               "value": cleaned.get("custom_value", "")})
        if not conditions:
            raise ValidationError(_("An automation needs at least one condition."))
        cleaned["rule"] = rules.validate_rule(self.union, {"conditions": conditions})
        return cleaned


class AddMemberForm(forms.Form):
    who = forms.CharField(label=_("Member number or email"), max_length=254)
