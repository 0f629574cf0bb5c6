"""Terms of use per union (U-3.1.3): numbered versions, drafted and then published by
the union's admins, and each account's acceptance of a version. A published version is
never edited: a new one supersedes it, and everyone is asked again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from portal.union.tenancy import UnionOwnedModel

# The editor's features; actions.sanitize keeps the same tags on the server.
FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]
LANGUAGES = ("fi", "sv", "en")


class TermsVersion(UnionOwnedModel):
    """One version of a union's terms, in up to three languages. The current version is
    the published one with the highest number; a draft (`published_at` empty) is seen
    only in the admin."""

    number = models.PositiveIntegerField(_("version"))
    body_fi = RichTextField(_("terms in Finnish"), blank=True, features=FEATURES)
    body_sv = RichTextField(_("terms in Swedish"), blank=True, features=FEATURES)
    body_en = RichTextField(_("terms in English"), blank=True, features=FEATURES)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-number"]
        verbose_name = _("terms of use version")
        verbose_name_plural = _("terms of use versions")
        constraints = [
            models.UniqueConstraint(fields=["union", "number"], name="terms_version_number"),
        ]

    def __str__(self) -> str:
        return str(_("Version %(number)s") % {"number": self.number})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def body_in(self, language: str, fallback: str = "fi") -> tuple[str, str]:
        """(language, HTML) of the text in `language`, else in the union's language
        (`fallback`), else in any language that has one."""
        for code in (language, fallback, *LANGUAGES):
            body = getattr(self, f"body_{code}", "") if code in LANGUAGES else ""
            if body:
                return code, body
        return language, ""


class TermsAcceptance(UnionOwnedModel):
    """An account accepted a version (once; the time is the first acceptance)."""

    version = models.ForeignKey(TermsVersion, on_delete=models.PROTECT,
                                related_name="acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="terms_acceptances")
    accepted_at = models.DateTimeField(_("accepted"), auto_now_add=True)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="terms_accepted_once"),
        ]
