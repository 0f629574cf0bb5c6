"""Personal data of the apps below privacy in the app order (union, people, accounts,
access, audit), declared here because those apps must not import privacy; every app
above declares its own in its `personal_data.py` (docs/privacy.md)."""

from django.utils.translation import gettext_lazy as _

from portal.access.models import PageUserObjectPermission
from portal.accounts.models import Block, User
from portal.audit.models import AuditEntry
from portal.branches.models import BranchPage
from portal.people.models import Employment, Person, PositionOfTrust, Training
from portal.union.models import Union, UnionOffice, UnionPage, UnionSettings, UnionStaffMember
from portal.workplaces.models import EmployerPage, WorkplacePage

from .models import AccessExport
from .registry import (
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

C, B, S, R = Category, Basis, Source, Retention
NAME = Personal(C.IDENTITY, B.CONTRACT, S.REGISTER, R.MEMBERSHIP)
CONTACT = Personal(C.CONTACT, B.CONTRACT, S.REGISTER, R.MEMBERSHIP)
MEMBERSHIP = Personal(C.MEMBERSHIP, B.ART9, S.REGISTER, R.MEMBERSHIP)
ACCOUNT = Personal(C.ACCOUNT, B.CONTRACT, S.SYSTEM, R.ACCOUNT)
# Who did something to someone else's data: kept with the record, pseudonymised on erasure.
ACTOR = Personal(C.LOG, B.LEGITIMATE, S.SYSTEM, R.LOG, Erasure.ANONYMISE)

declare(Person, title=_("Profile"), subjects={"pk": Subject.PERSON}, fields={
    **NAME.on("first_name", "last_name", "alternative_name", "birth_date"),
    **CONTACT.on("email", "phone", "street_address", "postal_code", "city"),
    "preferred_language": CONTACT.but(source=S.SELF),
    "identity_code_hash": NAME.but(withheld="a keyed one-way hash of the personal identity "
                                            "code, used only to recognise the person at a "
                                            "strong sign-in"),
    **MEMBERSHIP.on("member_number", "membership_status", "branch", "joined_on",
                    "membership_valid_until"),
    "deceased_on": Personal(C.LIFE, B.LEGITIMATE, S.STAFF, R.MEMBERSHIP, Erasure.ANONYMISE),
    "user": ACCOUNT, "activated_at": ACCOUNT,
})
EMPLOYMENT = Personal(C.EMPLOYMENT, B.CONTRACT, S.REGISTER, R.MEMBERSHIP)
declare(Employment, subjects={"person": Subject.PERSON}, fields=EMPLOYMENT.on(
    "person", "employer", "workplace", "title", "starts_on", "ends_on"))
TRUST = Personal(C.TRUST, B.ART9, S.REGISTER, R.MEMBERSHIP)
declare(PositionOfTrust, subjects={"person": Subject.PERSON}, fields=TRUST.on(
    "person", "kind", "scope_kind", "scope_page", "starts_on", "ends_on", "source"))
declare(Training, subjects={"person": Subject.PERSON}, fields=TRUST.but(basis=B.CONTRACT).on(
    "person", "name", "provider", "completed_on"))

declare(User, title=_("Portal account"), subjects={"pk": Subject.USER}, fields={
    **ACCOUNT.on("first_name", "last_name", "email", "last_login", "date_joined",
                 "terms_accepted_at", "invited_at", "password_reset_sent_at"),
    "password": ACCOUNT.but(withheld="a one-way hash of the password"),
})
BLOCK = Personal(C.ACCOUNT, B.LEGITIMATE, S.STAFF, R.LOG, Erasure.ANONYMISE)
# A block goes with the erased account it blocks (nothing is left to block).
declare(Block, subjects={"user": Subject.USER}, fields={
    **BLOCK.but(erasure=Erasure.ERASE).on("user", "reason"),
    **BLOCK.on("starts_at", "ends_at", "lifted_at"),
    **ACTOR.on("blocked_by", "lifted_by"),
})
declare(PageUserObjectPermission, subjects={"user": Subject.USER},
        fields=TRUST.but(source=S.SYSTEM).on("user", "position", "content_object",
                                             "permission", "valid_from", "valid_until"))
LOG = Personal(C.LOG, B.LEGITIMATE, S.SYSTEM, R.LOG, Erasure.ANONYMISE)
declare(AuditEntry, subjects={"person_id": Subject.PERSON, "actor": Subject.USER},
        fields=LOG.on("person_id", "actor", "action", "target", "fields", "created_at"))
declare(AccessExport, subjects={"person": Subject.PERSON}, fields={
    **Personal(C.LOG, B.LEGAL, S.SYSTEM, R.SHORT).on("person", "kind", "status",
                                                     "requested_at", "finished_at"),
    "data": Personal(C.LOG, B.LEGAL, S.SYSTEM, R.SHORT,
                     withheld="a copy of this same export"),
    "requested_by": ACTOR,
})

declare(UnionStaffMember, unlinked="the union's published staff contacts, edited on the "
        "union page and linked to no profile", fields=Personal(
            C.CONTACT, B.LEGITIMATE, S.STAFF, R.PUBLISHED).on("name", "title", "email", "phone"))
declare_not_personal(Union, "the union's own name")
declare_not_personal(UnionPage, "the union's own name and contact details")
declare_not_personal(UnionOffice, "an office's address and opening hours, not a person's")
declare_not_personal(UnionSettings, "the union's own addresses (member service, privacy contact)")
declare_not_personal(BranchPage, "a branch's own contact details")
declare_not_personal(EmployerPage, "an employer's name, business ID and address (a company)")
declare_not_personal(WorkplacePage, "a workplace's address")
