"""Signals of custom fields."""

from django.dispatch import Signal

# Sent after a person's custom values were committed. Arguments: sender, union_id,
# person_id. Group automations that test a custom field re-run on it.
custom_values_changed = Signal()
