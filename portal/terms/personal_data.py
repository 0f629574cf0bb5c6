"""Terms of use, declared to the registry (docs/privacy.md)."""

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

from .models import TermsAcceptance, TermsVersion

declare(TermsAcceptance, subjects={"user": Subject.USER}, fields=Personal(
    Category.ACCOUNT, Basis.CONTRACT, Source.SELF, Retention.ACCOUNT).on(
    "user", "version", "accepted_at"))
declare(TermsVersion, subjects={"created_by": Subject.USER}, fields=Personal(
    Category.LOG, Basis.LEGITIMATE, Source.SYSTEM, Retention.LOG, Erasure.ANONYMISE).on(
    "created_by", "published_by"),
    not_personal={f"body_{code}": "the terms' text" for code in ("fi", "sv", "en")})
