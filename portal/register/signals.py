"""Signals of the register integration."""

from django.dispatch import Signal

# Sent after a batch of register records has been committed (never for a dry run or a
# rolled-back batch). Arguments: sender (the module), union (Union), kinds (tuple of
# KINDS names written), result (BatchResult). The data-quality report refreshes on it.
register_synced = Signal()
