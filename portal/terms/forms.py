from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.rich_text import DraftailRichTextArea

from .models import FEATURES


class TermsTextWidget(DraftailRichTextArea):
    """Draftail posts its content state (JSON); anything else that arrives (a script,
    a hand-made form) is taken as HTML. Either way actions.sanitize decides what stays."""

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError):
            return data.get(name)


class DraftForm(forms.Form):
    body_fi = forms.CharField(label=_("Finnish"), required=False,
                              widget=TermsTextWidget(features=FEATURES))
    body_sv = forms.CharField(label=_("Swedish"), required=False,
                              widget=TermsTextWidget(features=FEATURES))
    body_en = forms.CharField(label=_("English"), required=False,
                              widget=TermsTextWidget(features=FEATURES))
