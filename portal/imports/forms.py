"""Forms of the imports: the file and its kind, and the columns' fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.register.records import KINDS

from . import fields
from .reading import max_file_bytes


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of data"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx, its first sheet) or a CSV file, with the "
                    "column names on the first row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—"), *fields.kind_choices()]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_file_bytes():
            raise forms.ValidationError(
                _("The file is %(size)s MB; at most %(limit)s MB can be imported. Split it "
                  "into smaller files.") % {"size": round(upload.size / 1_048_576, 1),
                                             "limit": max_file_bytes() // 1_048_576})
        return upload


class ColumnsForm(forms.Form):
    """One choice per column of the file: a field of the kind, or left out."""

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        kind = KINDS[job.kind]
        choices = [("", _("— Leave out —"))] + [
            (spec.name, fields.label(kind.name, spec.name)
             + (" *" if spec.required else "")) for spec in kind.fields]
        self.columns = []
        for index, header in enumerate(job.headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header or _("Column %(number)s") % {"number": index + 1},
                choices=choices, required=False,
                initial=job.mapping[index] if index < len(job.mapping) else "")
            self.columns.append(name)

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(name) or "" for name in self.columns]
