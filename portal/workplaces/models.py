from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from portal.union.relations import TenantPageForm
from portal.union.tenancy import UnionOwnedPage

from .validators import normalise_business_id


class EmployerIndexPage(UnionOwnedPage):
    parent_page_types = ["union.UnionPage"]
    subpage_types = ["workplaces.EmployerPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("employer index")
        verbose_name_plural = _("employer indexes")

    def get_context(self, request, *args, **kwargs):
        from .page_context import employer_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(employer_index_context(self, request))
        return context


def business_id_taken(page: EmployerPage, union_id: int | None) -> str:
    """Why the page cannot have its business ID ('' if it can): another employer of the
    union (in the page's locale) has it, and the register could not tell them apart."""
    if not union_id or not page.business_id:
        return ""
    other = (EmployerPage.objects.filter(union_id=union_id, business_id=page.business_id,
                                         locale_id=page.locale_id)
             .exclude(pk=page.pk).only("title").first())
    if other is None:
        return ""
    return _("Another employer of the union, %(employer)s, has this business ID.") % {
        "employer": other.title}


class EmployerPageForm(TenantPageForm):
    """A new page has no union or path yet when its form is checked: the union comes
    from the parent (TenantPageForm.union_id)."""

    def clean_business_id(self):
        value = self.cleaned_data["business_id"]
        try:
            value = normalise_business_id(value)
        except ValidationError:
            return value  # the model's clean says what is wrong with it
        probe = EmployerPage(pk=self.instance.pk, business_id=value,
                             locale_id=self.instance.locale_id)
        taken = business_id_taken(probe, self.union_id())
        if taken:
            raise ValidationError(taken)
        return value


class EmployerPage(UnionOwnedPage):
    """An employer: card, basic info, workplaces, employees, positions of trust, agreements."""

    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        db_index=True,
        help_text=_("Finnish business ID (Y-tunnus), e.g. 0112038-9."),
    )
    industry = models.CharField(_("industry"), max_length=200, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    agreements = ParentalManyToManyField(
        "agreements.CollectiveAgreementPage",
        verbose_name=_("collective agreements"),
        blank=True,
        related_name="employers",
    )

    parent_page_types = ["workplaces.EmployerIndexPage"]
    subpage_types = ["workplaces.WorkplacePage"]
    base_form_class = EmployerPageForm

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("business_id"),
                FieldPanel("industry"),
                FieldPanel("street_address"),
                FieldPanel("postal_code"),
                FieldPanel("city"),
            ],
            heading=_("Basic info"),
        ),
        FieldPanel("agreements", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("business_id"),
        index.SearchField("city"),
        index.FilterField("union_id"),
    ]

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        # The business ID is unique per union and locale (the register's key for an
        # employer): checked in clean() and the editor's form, not by a constraint,
        # since a translation of the page shares it and the locale is in Wagtail's
        # page table (docs/register-integration.md, "Employers' business IDs").

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        try:
            self.business_id = normalise_business_id(self.business_id)
        except ValidationError as error:
            raise ValidationError({"business_id": error.messages}) from error
        taken = business_id_taken(self, self.union_id)
        if taken:
            raise ValidationError({"business_id": taken})

    def get_context(self, request, *args, **kwargs):
        from .page_context import employer_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(employer_page_context(self, request))
        return context


class WorkplacePage(UnionOwnedPage):
    """A workplace (toimipaikka) of its parent employer."""

    employer = models.ForeignKey(
        EmployerPage,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="workplaces",
        editable=False,
    )
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    employee_count = models.PositiveIntegerField(
        _("employees (reported)"),
        null=True,
        blank=True,
        help_text=_("Headcount reported by the employer; the union density uses it when given."),
    )
    description = models.TextField(_("description"), blank=True)
    # The member register's key for the workplace (register/records.py); unique per union.
    register_id = models.CharField(_("register ID"), max_length=40, blank=True)

    parent_page_types = ["workplaces.EmployerPage"]
    subpage_types: list[str] = []

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("postal_code"),
                FieldPanel("city"),
                FieldPanel("employee_count"),
                FieldPanel("description"),
            ],
            heading=_("Basic info"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("city"),
        index.FilterField("union_id"),
    ]

    class Meta:
        verbose_name = _("workplace")
        verbose_name_plural = _("workplaces")
        constraints = [
            models.UniqueConstraint(
                fields=["union", "register_id"],
                condition=~models.Q(register_id=""),
                name="unique_workplace_register_id_per_union",
            )
        ]

    def _set_employer_from_tree(self):
        if not self.employer_id and self.path:
            parent_path = self.path[: -self.steplen]
            self.employer_id = (
                EmployerPage.objects.filter(path=parent_path).values_list("pk", flat=True).first()
            )

    def full_clean(self, *args, **kwargs):
        self._set_employer_from_tree()
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self._set_employer_from_tree()
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .page_context import workplace_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(workplace_page_context(self, request))
        return context
