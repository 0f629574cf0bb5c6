"""The field-definition form explains a choice field without choices (the model's
`choices` error is shown on the form's `choices_text`), instead of failing with a 500."""

import pytest

from portal.customfields.forms import FieldDefinitionForm
from tests.factories import make_union

pytestmark = pytest.mark.django_db


def test_a_choice_field_without_choices_is_explained_not_a_crash():
    form = FieldDefinitionForm(data={"key": "shift", "field_type": "choice",
                                     "label_fi": "Vuoro"}, union=make_union("cfa"))
    assert not form.is_valid()
    assert list(form.errors) == ["choices_text"]
