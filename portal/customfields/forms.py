from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import values as value_forms
from .models import CHOICE_TYPES, KEY_PATTERN, CustomField, validate_plain_text


class FieldDefinitionForm(forms.ModelForm):
    """Defines or edits a field. Choices are typed one a line: value; Finnish; Swedish;
    English (the labels after the value may be left out)."""

    choices_text = forms.CharField(
        label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One choice a line: a short value, then the labels in Finnish, Swedish "
                    "and English separated by semicolons, e.g. night; Yö; Natt; Night"))

    class Meta:
        model = CustomField
        fields = ("key", "field_type", "label_fi", "label_sv", "label_en", "help_fi",
                  "help_sv", "help_en", "required", "min_value", "max_value", "max_length",
                  "officials_see", "officials_edit", "person_sees", "person_edits")

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.union = union
        if self.instance.pk:
            # Stored values are read by key and type: neither changes after creation.
            self.fields["key"].disabled = True
            self.fields["field_type"].disabled = True
            self.initial["choices_text"] = "\n".join(
                "; ".join([c["value"], c.get("fi", ""), c.get("sv", ""), c.get("en", "")])
                .rstrip("; ") for c in self.instance.choices)

    def clean_choices_text(self):
        import re

        choices, seen = [], set()
        for number, line in enumerate(self.cleaned_data["choices_text"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            value = parts[0]
            if not re.match(KEY_PATTERN, value) and ";" not in line and re.search(r"[|,\t]", line):
                raise ValidationError(
                    _("Line %(line)s: separate the value and the labels with semicolons, "
                      "e.g. night; Yö; Natt; Night"), params={"line": number})
            if not re.match(KEY_PATTERN, value):
                raise ValidationError(
                    _("Line %(line)s: the value must start with a letter and use only the "
                      "lower-case letters a–z, digits and _."), params={"line": number})
            if value in seen:
                raise ValidationError(_("Line %(line)s: the value is used twice."),
                                      params={"line": number})
            seen.add(value)
            labels = dict(zip(("fi", "sv", "en"), parts[1:4], strict=False))
            for label in labels.values():
                validate_plain_text(label)
            choices.append({"value": value, **{k: v for k, v in labels.items() if v}})
        return choices

    def clean(self):
        cleaned = super().clean()
        field_type = cleaned.get("field_type") or self.instance.field_type
        if (field_type in CHOICE_TYPES and not cleaned.get("choices_text")
                and "choices_text" not in self.errors):  # a bad line is said already
            self.add_error("choices_text", _("Give at least one choice."))
        return cleaned

    def _post_clean(self):
        self.instance.choices = self.cleaned_data.get("choices_text") or []
        super()._post_clean()

    def _update_errors(self, errors):
        # The model's `choices` is typed in `choices_text`: Django would raise (a 500) on an
        # error for a field the form does not have. clean() has already said it there.
        if hasattr(errors, "error_dict") and "choices" in errors.error_dict:
            moved = errors.error_dict.pop("choices")
            if "choices_text" not in self._errors:
                errors.error_dict["choices_text"] = moved
            if not errors.error_dict:
                return
        super()._update_errors(errors)

    def definition(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields
                if name != "key" and not self.fields[name].disabled}
        data["choices"] = self.cleaned_data.get("choices_text") or []
        return data


class ValuesForm(forms.Form):
    """A person's values of the given fields; `editable` ones are inputs, the rest shown
    disabled (seen but not editable)."""

    def __init__(self, *args, fields, editable, stored, **kwargs):
        super().__init__(*args, **kwargs)
        editable_keys = {f.key for f in editable}
        for field in fields:
            self.fields[field.key] = value_forms.form_field(
                field, disabled=field.key not in editable_keys)
            self.initial[field.key] = value_forms.to_initial(field, stored.get(field.key))
        self.editable_keys = editable_keys

    def editable_values(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items()
                if key in self.editable_keys}
