"""The register API's models, declared to the registry (docs/privacy.md). Payloads of
the register's calls land in people's rows (declared there); what is kept here is about
the clients, plus the answers kept for an Idempotency-Key."""

from portal.privacy.registry import (
    Basis,
    Category,
    Erasure,
    Personal,
    Retention,
    Source,
    Subject,
    declare,
)

from .models import ApiClient, IdempotentCall

declare(ApiClient, subjects={"created_by": Subject.USER}, fields={
    "created_by": Personal(Category.LOG, Basis.LEGITIMATE, Source.SYSTEM, Retention.LOG,
                           Erasure.ANONYMISE)},
    not_personal={"name": "the name of a system that calls the API",
                  "key_hash": "a hash of the client's key, not a person's",
                  "scopes": "the client's rights", "allowed_networks": "IP networks"})
declare(IdempotentCall, unlinked="a stored answer to a register call, found by its key, "
        "not by person; kept for the idempotency window (API_IDEMPOTENCY_SECONDS)",
        fields={"body": Personal(Category.OTHER, Basis.CONTRACT, Source.REGISTER,
                                 Retention.SHORT)})
