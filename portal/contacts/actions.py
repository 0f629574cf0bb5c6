"""Writes of the people admin itself: a user's saved filters. Edits of people go
through portal/people/actions.py, group memberships through portal/groups/actions.py."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import SavedFilter


@transaction.atomic
def save_filter(*, union, acting_user, name: str, query: str) -> SavedFilter:
    """Save (or replace, by name) one of the user's own filter sets."""
    name = " ".join(name.split())[:100]
    if not name:
        raise ValidationError(_("Give the filter a name."))
    try:
        with transaction.atomic():
            saved, _created = SavedFilter.objects.update_or_create(
                union=union, user=acting_user, name=name, defaults={"query": query[:2000]})
    except IntegrityError as error:  # two saves of one name at once
        raise ValidationError(_("A filter of that name was just saved. Try again.")) from error
    return saved


@transaction.atomic
def delete_filter(*, union, acting_user, pk: int) -> bool:
    """Delete one of the user's own saved filters (another's, or another union's, is
    not found: False)."""
    deleted, _ = SavedFilter.objects.for_union(union).filter(user=acting_user, pk=pk).delete()
    return bool(deleted)
