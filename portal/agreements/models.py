from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from portal.union.tenancy import UnionOwnedPage


class AgreementIndexPage(UnionOwnedPage):
    parent_page_types = ["union.UnionPage"]
    subpage_types = ["agreements.CollectiveAgreementPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("agreement index")
        verbose_name_plural = _("agreement indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["agreements"] = (
            CollectiveAgreementPage.objects.child_of(self).live().order_by("title")
        )
        return context


class CollectiveAgreementPage(UnionOwnedPage):
    """A collective agreement (TES): name, validity, link to the text, employers covered."""

    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    text_url = models.URLField(_("link to the agreement text"), blank=True)
    summary = models.TextField(_("summary"), blank=True)

    parent_page_types = ["agreements.AgreementIndexPage"]
    subpage_types: list[str] = []

    content_panels = Page.content_panels + [
        FieldPanel("valid_from"),
        FieldPanel("valid_until"),
        FieldPanel("text_url"),
        FieldPanel("summary"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("union_id"),
    ]

    class Meta:
        verbose_name = _("collective agreement")
        verbose_name_plural = _("collective agreements")

    def get_context(self, request, *args, **kwargs):
        from .page_context import agreement_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(agreement_page_context(self, request))
        return context
