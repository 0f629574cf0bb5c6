"""Forms of the union admin panel. They validate input; the actions do the writes."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal.accounts import rights
from portal.union.models import Role

User = get_user_model()


class AccountForm(forms.ModelForm):
    """An account of the admin's union: names, email and the roles the admin may grant.

    No password fields: an admin never sets another person's password (they sign in with
    strong authentication or reset it themselves). The official role follows positions
    of trust and is not offered.
    """

    roles = forms.MultipleChoiceField(
        label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]

    def __init__(self, *args, acting_user=None, union=None, **kwargs):
        kwargs.pop("editing_self", None)  # passed by Wagtail's user edit view
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            # The new account's union, so that User.clean looks for the address among
            # this union's accounts only (another union's are none of this form's business).
            self.instance.union = union or getattr(acting_user, "union", None)
        grantable = set(rights.grantable_roles(acting_user))
        self.fields["roles"].choices = [
            (role.value, role.label)
            for role in Role
            if role in rights.MANUAL_ROLES and role in grantable
        ]
        if self.instance.pk:
            self.fields["roles"].initial = list(
                self.instance.groups.filter(union_role__union_id=self.instance.union_id)
                .exclude(union_role__role=Role.OFFICIAL)
                .values_list("union_role__role", flat=True)
            )


class AccountEditForm(AccountForm):
    class Meta(AccountForm.Meta):
        fields = ["email", "first_name", "last_name", "is_active"]

    def __init__(self, *args, acting_user=None, **kwargs):
        super().__init__(*args, acting_user=acting_user, **kwargs)
        self.acting_user = acting_user

    def clean_is_active(self):
        is_active = self.cleaned_data.get("is_active")
        if not is_active and self.acting_user is not None and (
            self.instance.pk == self.acting_user.pk
        ):
            raise forms.ValidationError(_("You cannot deactivate your own account."))
        return is_active

    def clean_roles(self):
        roles = self.cleaned_data.get("roles") or []
        if (self.acting_user is not None and self.instance.pk == self.acting_user.pk
                and Role.ADMIN in self.fields["roles"].initial and Role.ADMIN not in roles):
            # Keeps a union from losing its last admin by a slip of the hand.
            raise forms.ValidationError(_("You cannot remove your own admin role."))
        return roles


class BlockForm(forms.Form):
    email = forms.EmailField(label=_("Account email"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    ends_on = forms.DateField(
        label=_("Blocked until"), required=False,
        help_text=_("Leave empty to block until the block is lifted."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.accounts = accounts

    def clean_email(self):
        # Looked up only among the accounts the admin may see: another union's address
        # is "not found", never "not allowed", so nothing is revealed.
        email = self.cleaned_data["email"]
        user = self.accounts.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No account of your union has this address."))
        self.cleaned_data["user"] = user
        return email


class UnionSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name of the union"), max_length=200)
    default_language = forms.ChoiceField(label=_("Default language"))
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    member_service_email = forms.EmailField(label=_("Member service email"), required=False)
    privacy_contact_email = forms.EmailField(label=_("Data protection contact"),
                                             required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    features = forms.MultipleChoiceField(
        label=_("Features on"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        from portal.union.features import switchable_features

        super().__init__(*args, **kwargs)
        self.fields["default_language"].choices = settings.LANGUAGES
        self.fields["features"].choices = [(f.value, f.label) for f in switchable_features()]


class PersonCombobox(forms.Widget):
    """A search-as-you-type person field (an ARIA 1.2 combobox): the visible text box
    searches `search_url` while typing, the chosen person's id goes in a hidden input.
    The script is a static file (`adminpanel/person-combobox.js`): the admin's
    Content-Security-Policy runs no inline scripts."""

    template_name = "adminpanel/widgets/person_combobox.html"

    class Media:
        js = ["adminpanel/person-combobox.js"]
        css = {"all": ["adminpanel/person-combobox.css"]}

    def __init__(self, *args, search_url="", people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.search_url = search_url
        self.people = people

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = None
        if value not in (None, "") and self.people is not None and str(value).isdigit():
            chosen = self.people.filter(pk=value).first()  # re-shown after a form error
        context["widget"].update(search_url=self.search_url, chosen=chosen)
        return context


class TypedText(str):
    """What was typed in a combobox's text box, as opposed to the id chosen from its list
    (the hidden input): digits typed there are a name, a number or a business ID, never
    a page id."""


class PageChoiceField(forms.ModelChoiceField):
    """A page chosen from a `PageCombobox`'s list; typed text that was not chosen from it
    is refused ("choose from the list"), digits included."""

    def to_python(self, value):
        if isinstance(value, TypedText) and value:
            raise forms.ValidationError(self.error_messages["invalid_choice"],
                                  code="invalid_choice", params={"value": value})
        return super().to_python(value)


class PageCombobox(PersonCombobox):
    """The same search-as-you-type field for a branch, employer or workplace page of
    the union (thousands of them: never a <select>). `search_url` answers with the
    union's pages only (`adminpanel.links.organisation_choices_url`); `pages` is the
    union's queryset that shows the chosen one again and that the form field validates
    against, whatever is posted."""

    template_name = "adminpanel/widgets/page_combobox.html"

    def __init__(self, *args, search_url="", pages=None, **kwargs):
        super().__init__(*args, search_url=search_url, people=pages, **kwargs)

    def value_from_datadict(self, data, files, name):
        # Text typed but nothing chosen from the list is passed on as that text, which
        # the field refuses ("choose from the list") instead of silently meaning "none".
        value = data.get(name, "")
        return value or TypedText(data.get(f"{name}_text", "").strip()[:200])

    def get_context(self, name, value, attrs):
        typed = isinstance(value, TypedText)
        context = super().get_context(name, None if typed else value, attrs)
        if typed and value:  # shown again as typed, never looked up as an id
            context["widget"]["typed"] = value
        return context


class PositionForm(forms.Form):
    """Appoint a union board or council member, chosen by name among the union's people
    (the field's queryset is the union's: another union's id is not a valid choice)."""

    kind = forms.ChoiceField(label=_("Position"))
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=None,
        help_text=_("Type a name and choose the person from the list."),
        error_messages={
            "required": _("Choose the person from the list."),
            "invalid_choice": _("Choose a person of your union from the list."),
        },
    )
    starts_on = forms.DateField(label=_("Term starts"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Term ends"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people=None, search_url="", **kwargs):
        from portal.people.models import PositionKind

        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].widget = PersonCombobox(search_url=search_url, people=people)
        self.fields["kind"].choices = [
            (k.value, k.label)
            for k in (PositionKind.UNION_BOARD_MEMBER, PositionKind.UNION_COUNCIL_MEMBER)
        ]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A term cannot end before it starts."))
        return data


class CreateUnionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Slug"), max_length=40)
    hostname = forms.CharField(label=_("Hostname"), max_length=255)
    port = forms.IntegerField(label=_("Port"), initial=443, min_value=1, max_value=65535)
    default_language = forms.ChoiceField(label=_("Default language"))
    admin_email = forms.EmailField(label=_("First admin's email"), required=False)

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["default_language"].choices = settings.LANGUAGES


class ConfigureUnionForm(forms.Form):
    """The platform operator's form for an existing union: no personal data."""

    name = forms.CharField(label=_("Name"), max_length=200)
    default_language = forms.ChoiceField(label=_("Default language"))
    is_active = forms.BooleanField(label=_("Active"), required=False,
                                   help_text=_("An inactive union's site serves nothing."))

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["default_language"].choices = settings.LANGUAGES
