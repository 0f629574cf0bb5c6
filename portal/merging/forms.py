from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import tag


class MergeForm(forms.Form):
    """Which person is kept, and per differing field whose value the kept one has."""

    keep = forms.ChoiceField(label=_("Keep"), widget=forms.RadioSelect)

    def __init__(self, *args, rows, a, b, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = [row for row in rows if row.differs]
        # Name and member number: two people of one name are told apart.
        self.fields["keep"].choices = [("a", tag(a)), ("b", tag(b))]
        self.fields["keep"].initial = "b" if (b.user_id and not a.user_id) else "a"
        for row in self.rows:
            self.fields[f"f_{row.name}"] = forms.ChoiceField(
                label=row.label, widget=forms.RadioSelect, initial=row.default,
                choices=[("a", row.a or _("(empty)")), ("b", row.b or _("(empty)"))])

    def take(self) -> list[str]:
        """The fields whose value comes from the person not kept."""
        keep = self.cleaned_data["keep"]
        return [row.name for row in self.rows if self.cleaned_data[f"f_{row.name}"] != keep]
