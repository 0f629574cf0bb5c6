from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.rich_text import DraftailRichTextArea

from .models import FEATURES, LANGUAGES


class TermsTextWidget(DraftailRichTextArea):
    """Draftail posts its content state (JSON); anything else that arrives (a script,
    a hand-made form) is taken as HTML. Either way actions.sanitize decides what stays."""

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError):
            return data.get(name)


class DraftForm(forms.Form):
    """The draft's text in each language. The editors are made per form: building one
    reads Wagtail's rich-text features, which loads every app's wagtail_hooks (this
    module is imported from ours)."""

    LABELS = {"fi": _("Finnish"), "sv": _("Swedish"), "en": _("English")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in LANGUAGES:
            self.fields[f"body_{code}"] = forms.CharField(
                label=self.LABELS[code], required=False,
                widget=TermsTextWidget(features=FEATURES))
