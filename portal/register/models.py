from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel


class Winner(models.TextChoices):
    PORTAL = "portal", _("Portal")
    REGISTER = "register", _("Member register")


class Conflict(UnionOwnedModel):
    """One two-way field that both the portal and the register changed (U-2.5).

    The rule: the later change wins and is stored; both versions are kept here, so
    staff can see what was overwritten and by what.
    """

    kind = models.CharField(_("kind of data"), max_length=16)
    key = models.CharField(_("register key"), max_length=200)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    field = models.CharField(_("field"), max_length=64)
    portal_value = models.TextField(_("value in the portal"), blank=True)
    portal_changed_at = models.DateTimeField(_("changed in the portal"), null=True)
    register_value = models.TextField(_("value in the member register"), blank=True)
    register_changed_at = models.DateTimeField(_("changed in the member register"))
    winner = models.CharField(_("kept"), max_length=16, choices=Winner.choices)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("sync conflict")
        verbose_name_plural = _("sync conflicts")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["union", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.field}"

    @property
    def field_label(self) -> str:
        """The field's name in the user's language (the model field's verbose name)."""
        from django.core.exceptions import FieldDoesNotExist

        from portal.people.models import Employment, Person
        from portal.workplaces.models import EmployerPage, WorkplacePage

        model = {"people": Person, "employers": EmployerPage,
                 "workplaces": WorkplacePage}.get(self.kind, Employment)
        name = "title" if self.field == "name" else self.field  # a page's name is its title
        try:
            return model._meta.get_field(name).verbose_name
        except FieldDoesNotExist:
            return self.field
