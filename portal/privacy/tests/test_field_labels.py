"""The legal-basis view and the access export name each declared field by its verbose
name in the reader's language: a field without a translated name showed in English
('Contacted by, Logged by' on a Swedish legal-basis page)."""

from django.utils import translation

from portal.privacy import registry
from portal.privacy.export import _label

# Words that may stay as they are (the same in Swedish, or technical terms).
SAME = {"status", "person", "token", "version", "data", "team"}


def test_every_declared_field_is_named_in_finnish_and_swedish():
    untranslated = []
    for declaration in registry.declarations():
        for name in declaration.fields:
            verbose = getattr(declaration.model._meta.get_field(name), "verbose_name", name)
            with translation.override("en"):
                english = _label(verbose)
            for language in ("fi", "sv"):
                with translation.override(language):
                    shown = _label(verbose)
                if shown == english and english.lower() not in SAME:
                    untranslated.append(f"{declaration.model._meta.label}.{name} ({language})")
    assert untranslated == []
