from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from wagtail.models import Page


class PageUserObjectPermission(UserObjectPermissionBase):
    """A guardian object permission on a page, held because of a position of trust.

    Direct foreign keys (not guardian's generic ones) keep lookups indexed. The term
    dates are copied from the position so that a grant stops counting the day after
    the term ends even before the daily expiry task deletes it.
    """

    content_object = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    position = models.ForeignKey(
        "people.PositionOfTrust",
        verbose_name=_("reason"),
        null=True,
        on_delete=models.CASCADE,
        related_name="grants",
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("page permission of a position")
        verbose_name_plural = _("page permissions of positions")
