from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.adminpanel.forms import PageCombobox
from portal.adminpanel.links import organisation_choices_url
from portal.agreements.models import CollectiveAgreementPage
from portal.people.models import Person
from portal.union.models import Role
from portal.workplaces.models import EmployerPage
from portal.workplaces.validators import normalise_business_id

from .models import Channel, Outcome, TargetKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def owner_users(union):
    """Who may own a campaign: the union's staff and admins, as accounts (staff need no
    member profile). Not officials: an owner may edit the whole target group, which
    reaches beyond an official's own scope."""
    return (User.objects.filter(union=union, is_active=True,
                                groups__union_role__union=union,
                                groups__union_role__role__in=(Role.STAFF, Role.ADMIN))
            .distinct().order_by("last_name", "first_name", "email"))


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}),
                           required=False)
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), widget=DATE, required=False)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, required=False,
                                   empty_value=None)
    target_kind = forms.ChoiceField(label=_("Target group of"), choices=TargetKind.choices,
                                    widget=forms.RadioSelect)
    city = forms.CharField(label=_("City"), max_length=100, required=False,
                           help_text=_("For branches: the branch's municipality."))
    industry = forms.ChoiceField(label=_("Sector"), required=False)
    agreement = forms.TypedChoiceField(label=_("Collective agreement"), coerce=int,
                                       required=False, empty_value=None)
    employer = forms.CharField(
        label=_("Employer"), max_length=200, required=False,
        help_text=_("Workplaces of one employer: type a part of its name or its business ID "
                    "and choose from the list."))
    size_min = forms.IntegerField(label=_("At least this many people"), min_value=0,
                                  required=False)
    size_max = forms.IntegerField(label=_("At most this many people"), min_value=0,
                                  required=False)
    density_below = forms.IntegerField(label=_("Union density below (%)"), min_value=1,
                                       max_value=100, required=False)

    FILTER_FIELDS = ("city", "industry", "agreement", "employer", "size_min", "size_max",
                     "density_below")

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        users = list(owner_users(union))
        names = {user_id: f"{first} {last}".strip() for user_id, first, last in
                 Person.objects.for_union(union).filter(user__in=[u.pk for u in users])
                 .values_list("user_id", "first_name", "last_name")}
        self.fields["owner"].choices = [("", "–")] + [(u.pk, names.get(u.pk) or str(u))
                                                      for u in users]
        industries = (EmployerPage.objects.for_union(union).exclude(industry="")
                      .order_by("industry").values_list("industry", flat=True).distinct())
        self.fields["industry"].choices = [("", _("Any"))] + [(i, i) for i in industries]
        agreements = CollectiveAgreementPage.objects.for_union(union).order_by("title")
        self.fields["agreement"].choices = [("", _("Any"))] + [(a.pk, a.title)
                                                                for a in agreements]
        # A typed chooser (the admin panel's organisation combobox, the union's employers
        # only); without JavaScript a name or business ID typed in the box is looked up.
        self.fields["employer"].widget = PageCombobox(
            search_url=organisation_choices_url("employer"),
            pages=EmployerPage.objects.for_union(union))

    def clean_employer(self):
        value = self.cleaned_data["employer"].strip()
        if not value:
            return None
        employers = EmployerPage.objects.for_union(self.union)
        # An id only when it came from the list (the widget's hidden input); typed text,
        # digits included, is a name or a business ID.
        if self.data.get(self.add_prefix("employer"), "").strip() == value:
            if value.isdigit() and (pk := employers.filter(pk=int(value))
                                    .values_list("pk", flat=True).first()):
                return pk
            raise ValidationError(_("Choose the employer from the list."))
        try:
            business_id = normalise_business_id(value)
        except ValidationError:
            business_id = None
        if business_id:
            found = list(employers.filter(business_id=business_id)
                         .values_list("pk", flat=True)[:2])
        else:
            found = list(employers.filter(title__iexact=value).values_list("pk", flat=True)[:2])
            if not found:
                found = list(employers.filter(title__icontains=value)
                             .values_list("pk", flat=True)[:2])
        if len(found) == 1:
            return found[0]
        if found:
            raise ValidationError(_("Several employers match. Type more of the name and "
                                    "choose from the list."))
        raise ValidationError(_("No employer of the union matches. Type a part of the name "
                                "or the business ID."))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The campaign ends before it starts."))
        return data

    def filters(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in self.FILTER_FIELDS
                if self.cleaned_data.get(k) not in (None, "")}

    def owner_user(self):
        pk = self.cleaned_data.get("owner")
        return owner_users(self.union).filter(pk=pk).first() if pk else None

    def owner_person(self, user):
        """The owner's member profile, if they have one (officials do, staff often not)."""
        return Person.objects.for_union(self.union).filter(user=user).first() if user else None

    @staticmethod
    def initial_for(campaign) -> dict:
        return {"name": campaign.name, "goal": campaign.goal, "starts_on": campaign.starts_on,
                "ends_on": campaign.ends_on,
                "owner": campaign.owner_user_id or getattr(campaign.owner, "user_id", None),
                "target_kind": campaign.target_kind,
                **campaign.target_filters}


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices, widget=forms.RadioSelect)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    contacted_on = forms.DateField(label=_("When"), widget=DATE, initial=timezone.localdate)
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Only what the campaign needs. No health, beliefs "
                                        "or other sensitive details."))

    def clean_contacted_on(self):
        value = self.cleaned_data["contacted_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date is in the future."))
        return value


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    workplace = forms.TypedChoiceField(label=_("Workplace"), coerce=int)
    terms = forms.CharField(label=_("Team's terms"), widget=forms.Textarea(attrs={"rows": 4}),
                            initial=_("I keep what I learn of my colleagues in the campaign "
                                      "confidential and use it only for the campaign."))
    ends_on = forms.DateField(label=_("Members' rights end"), widget=DATE)

    def __init__(self, *args, workplaces: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplace"].choices = workplaces

    def clean_ends_on(self):
        value = self.cleaned_data["ends_on"]
        if value < timezone.localdate():
            raise ValidationError(_("The date has passed."))
        return value


class AcceptForm(forms.Form):
    terms_accepted = forms.BooleanField(label=_("I accept the team's terms"), required=False)
