"""The link menu's admin form: the label in the union's default language is required,
the others optional (shown in the default language when empty)."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminModelForm


def _labelled_form(base, default_language: str):
    from .models import LABEL_FIELDS

    required = LABEL_FIELDS.get(default_language)

    class LinkItemForm(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for field_name in LABEL_FIELDS.values():
                field = self.fields.get(field_name)
                if field is None:
                    continue
                field.required = field_name == required

    return LinkItemForm


class LinkMenuForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        from .models import union_of_site

        super().__init__(*args, **kwargs)
        union = union_of_site(self.instance.site_id)
        formset = self.formsets.get("items")
        if union is not None and formset is not None:
            # The formset builds its forms (and the empty one for "add") from this class.
            formset.form = _labelled_form(formset.form, union.default_language)
