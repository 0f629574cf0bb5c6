"""The search outbox, declared to the registry (docs/privacy.md). The index itself holds
copies of people's rows (declared where they live)."""

from portal.privacy.registry import declare_not_personal

from .models import OutboxEntry

declare_not_personal(OutboxEntry, "a pointer (kind and id) to a row to index again; "
                     "no data of the row")
