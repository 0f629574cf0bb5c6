from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.rich_text import DraftailRichTextArea

from portal.people.models import ACTIVE_MEMBER_STATUSES, MembershipStatus

# The features of BulletinPage.body.
BODY_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class BulletinBodyWidget(DraftailRichTextArea):
    """Draftail posts its content state (JSON). Anything else that arrives (a script, an
    old form) is taken as HTML: either way BulletinPage's sanitiser decides what stays."""

    def value_from_datadict(self, data, files, name):
        raw = data.get(name)
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError):
            return raw


class BulletinForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    date = forms.DateField(label=_("Date"), initial=timezone.localdate,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    body = forms.CharField(
        label=_("Text"),
        help_text=_("Paragraphs, headings, bold, italic, lists and links. "
                    "Anything else is removed when saved."),
        # Wagtail's Draftail, as in the admin: the form receives Wagtail's rich-text HTML,
        # which BulletinPage's sanitiser (sanitize.py) cleans on every save all the same.
        widget=BulletinBodyWidget(features=BODY_FEATURES),
    )


class AudienceForm(forms.Form):
    statuses = forms.MultipleChoiceField(
        label=_("Membership status"), choices=MembershipStatus.choices,
        initial=[str(s) for s in ACTIVE_MEMBER_STATUSES], widget=forms.CheckboxSelectMultiple)
    workplaces = forms.TypedMultipleChoiceField(
        label=_("Only people working at"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple)
    employers = forms.TypedMultipleChoiceField(
        label=_("Only employees of"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(
        label=_("Only people whose language is"), choices=settings.LANGUAGES, required=False,
        widget=forms.CheckboxSelectMultiple)
    send_at = forms.DateTimeField(
        label=_("Send at"), required=False,
        help_text=_("Leave empty to send now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplaces"].choices = choices["workplaces"]
        self.fields["employers"].choices = choices["employers"]
