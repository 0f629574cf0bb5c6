"""The DPO designations, declared to the registry (docs/privacy.md). Who designated whom
is a record of rights (the audit log has it too); the per-union setting is no one's."""

from portal.privacy.registry import (
    Basis,
    Category,
    Erasure,
    Personal,
    Retention,
    Source,
    Subject,
    declare,
    declare_not_personal,
)

from .models import Alert, BreachWorksheet, DataProtectionOfficer, DpoSettings, ScanMark

declare(DataProtectionOfficer, subjects={"user": Subject.USER, "designated_by": Subject.USER},
        fields={**Personal(Category.ACCOUNT, Basis.LEGITIMATE, Source.STAFF, Retention.ACCOUNT,
                           Erasure.ERASE).on("user", "designated_at"),
                # Erasing who designated an officer keeps the designation (unlinked).
                "designated_by": Personal(Category.LOG, Basis.LEGITIMATE, Source.SYSTEM,
                                          Retention.LOG, Erasure.ANONYMISE)})
declare_not_personal(DpoSettings, "a union's setting")
declare(Alert, subjects={"actor": Subject.USER},
        fields=Personal(Category.LOG, Basis.LEGITIMATE, Source.SYSTEM, Retention.LOG,
                        Erasure.ANONYMISE).on("actor", "count", "first_at", "last_at",
                                              "evidence", "created_at"))
declare_not_personal(ScanMark, "how far the scan has read the audit log")
# Art. 33(5): the controller documents every breach, so the worksheet stays; the account
# involved and who started it are pseudonymised when that person is erased.
BREACH = Personal(Category.LOG, Basis.LEGAL, Source.STAFF, Retention.LOG, Erasure.ANONYMISE)
declare(BreachWorksheet, subjects={"account": Subject.USER, "created_by": Subject.USER},
        fields=BREACH.on("account", "created_by", "what_happened", "measures",
                         "discovered_at", "created_at"),
        not_personal={"not_reported_reason": "the officer's assessment of the breach",
                      "informing_note": "how the people affected were told, not about one",
                      "data_categories": "codes of the registry's kinds of data affected"})
