"""The brand settings form in the Wagtail admin: a colour picker beside each #rrggbb field
and a live preview of the top bar, a button and a link in the chosen colours, with their
contrast (issue 12, item 17). The picker and preview run from a static file
(`themes/brand-admin.js`), so they pass the admin's `script-src 'self'`."""

from __future__ import annotations

import json

from django import forms
from django.utils import formats
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import Panel

from .contrast import AA_NORMAL_TEXT


class ColourInput(forms.TextInput):
    """The #rrggbb text field, with an `<input type="color">` beside it that fills it."""

    template_name = "themes/admin/colour_input.html"

    class Media:
        css = {"all": ["themes/brand-admin.css"]}
        js = ["themes/brand-admin.js"]

    def __init__(self, attrs=None):
        defaults = {"pattern": "#[0-9a-fA-F]{6}", "maxlength": "7", "spellcheck": "false",
                    "autocomplete": "off", "data-brand-colour-text": ""}
        super().__init__(attrs={**defaults, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        # The picker cannot be empty: it shows the colour in force (the union's seeded
        # one when the field is empty).
        context["widget"]["picker_value"] = (value or attrs.get("data-fallback") or "#000000")
        return context


class BrandSettingsForm(WagtailAdminModelForm):
    """Tells the colour fields which colour applies while they are empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import union_of_site

        union = union_of_site(self.instance.site_id)
        if union is None:
            return
        for name, role, fallback in (
            ("primary_colour", "primary", union.primary_colour),
            ("secondary_colour", "secondary", union.secondary_colour),
        ):
            if name in self.fields:
                self.fields[name].widget.attrs.update({
                    "data-brand-colour-role": role,
                    "data-fallback": (fallback or "").lower(),
                    "placeholder": (fallback or "").lower(),
                })


class BrandPreviewPanel(Panel):
    """The union's top bar, a button and a link in the colours and font on the form; the
    script redraws it on every change and says whether the pair passes WCAG AA."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "themes/admin/brand_preview.html"

        def get_context_data(self, parent_context=None):
            from .models import FONT_STACKS, union_of_site

            context = super().get_context_data(parent_context)
            union = union_of_site(self.instance.site_id)
            context.update(
                union_name=(union.name if union else self.instance.site.site_name),
                font_stacks=json.dumps({str(k): v for k, v in FONT_STACKS.items()}),
                minimum=formats.number_format(AA_NORMAL_TEXT, 1),
            )
            return context
