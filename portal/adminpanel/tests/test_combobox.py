"""The page combobox: the hidden input carries the id chosen from the list; what is typed
in the text box is text, digits included, never read as a page id (a branch's number or a
business ID typed there matched a page with that id)."""

from __future__ import annotations

import pytest
from django import forms

from portal.adminpanel.forms import PageChoiceField, PageCombobox, TypedText
from portal.branches.models import BranchPage
from tests.factories import make_branch, make_union

pytestmark = pytest.mark.django_db


def _form_class(union):
    branches = BranchPage.objects.for_union(union)

    class BranchForm(forms.Form):
        branch = PageChoiceField(queryset=branches, required=False,
                                 widget=PageCombobox(search_url="/x/", pages=branches))

    return BranchForm


def test_only_the_lists_id_chooses_and_typed_digits_stay_text():
    union = make_union("combo")
    branch = make_branch(union, title="Osasto")
    form_class = _form_class(union)

    chosen = form_class({"branch": str(branch.pk), "branch_text": branch.title})
    assert chosen.is_valid() and chosen.cleaned_data["branch"] == branch

    typed = form_class({"branch": "", "branch_text": str(branch.pk)})
    assert not typed.is_valid() and "branch" in typed.errors
    assert isinstance(typed["branch"].data, TypedText)
    html = str(typed["branch"])
    # Shown again as typed, with nothing chosen: a second submit cannot choose it.
    assert f'value="{branch.pk}" data-combobox-input' in html
    assert 'data-combobox-value' in html and f'value="{branch.pk}" data-combobox-value' not in html
    assert branch.title not in html

    empty = form_class({"branch": "", "branch_text": ""})
    assert empty.is_valid() and empty.cleaned_data["branch"] is None
