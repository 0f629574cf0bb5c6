from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel


class SavedFilter(UnionOwnedModel):
    """A named set of the people list's filters, one user's own (reopened from the list).

    `query` is the list's query string as it was (filters, search, sort): reopening it
    validates it again, so a branch since deleted or moved away is simply dropped."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["union", "user", "name"],
                                               name="unique_saved_filter_name")]

    def __str__(self) -> str:
        return self.name
