from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Collection, Orderable, Page

from .relations import (
    TenantPageForm,
    check_relations,
    union_id_of_path,
    unlink_rich_text_outside,
)
from .routing import route_in_one_query, view_restrictions_of
from .tenancy import UnionScopedQuerySet

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Give a colour as #rrggbb."))


class Union(models.Model):
    """The tenant: one trade union, one Wagtail Site, one root UnionPage."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    site = models.OneToOneField(
        "wagtailcore.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="union"
    )
    root_page = models.OneToOneField(
        "union.UnionPage",
        verbose_name=_("root page"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="fi"
    )
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#b3001b", validators=[hex_colour]
    )
    secondary_colour = models.CharField(
        _("secondary colour"), max_length=7, default="#ffffff", validators=[hex_colour]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("union")
        verbose_name_plural = _("unions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def role_group(self, role: str) -> Group:
        return self.role_groups.select_related("group").get(role=role).group

    def collection(self) -> Collection:
        """The union's image and document collection (`create_union` makes it): the one
        its admin group holds permissions on, so it survives renaming the union."""
        return Collection.objects.filter(
            group_permissions__group__union_role__union=self,
            group_permissions__group__union_role__role=Role.ADMIN,
        ).distinct().get()


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    OFFICIAL = "official", _("Elected official")
    STAFF = "staff", _("Staff")
    ADMIN = "admin", _("Union admin")


class UnionRoleGroup(models.Model):
    """The Django group that carries one role's model and page permissions in one union."""

    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="role_groups")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="union_role")

    objects = UnionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("role group")
        verbose_name_plural = _("role groups")
        constraints = [
            models.UniqueConstraint(fields=["union", "role"], name="one_group_per_union_role")
        ]

    def __str__(self) -> str:
        return f"{self.union}: {self.get_role_display()}"


class UnionPage(Page):
    """The root page of a union's site: the union's card, offices and staff.

    Board and council members are positions of trust; the page lists them from there.
    """

    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "link"])
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "branches.BranchIndexPage",
        "workplaces.EmployerIndexPage",
        "agreements.AgreementIndexPage",
        "pages.ContentPage",
    ]
    max_count_per_parent = 1
    # The logo is chosen from the union's own collection (relations.py).
    base_form_class = TenantPageForm

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("short_name"),
                FieldPanel("logo"),
                FieldPanel("description"),
            ],
            heading=_("Card"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("email"),
                FieldPanel("phone"),
                FieldPanel("street_address"),
                FieldPanel("postal_code"),
                FieldPanel("city"),
                FieldPanel("website"),
            ],
            heading=_("Contact"),
        ),
        InlinePanel("offices", label=_("Offices")),
        InlinePanel("staff_members", label=_("Staff")),
    ]

    class Meta:
        verbose_name = _("union page")
        verbose_name_plural = _("union pages")

    def clean(self):
        super().clean()
        union_id = union_id_of_path(self.path) if self.logo_id or self.description else None
        if self.logo_id:
            check_relations(self, union_id)
        unlink_rich_text_outside(self, union_id)

    def route(self, request, path_components):
        # Every page of a union's site is routed from here: one query for the whole path.
        if path_components:
            result = route_in_one_query(self, request, path_components)
            if result is not None:
                return result
        return super().route(request, path_components)

    def get_view_restrictions(self):
        # The cached root carries its ancestors (hosts.localized_root): one query.
        restrictions = view_restrictions_of(self)
        return super().get_view_restrictions() if restrictions is None else restrictions

    def get_context(self, request, *args, **kwargs):
        from .page_context import union_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(union_page_context(self, request))
        return context


class UnionOffice(Orderable):
    page = ParentalKey(UnionPage, on_delete=models.CASCADE, related_name="offices")
    name = models.CharField(_("name"), max_length=200)
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("street_address"),
        FieldPanel("postal_code"),
        FieldPanel("city"),
        FieldPanel("opening_hours"),
        FieldPanel("phone"),
        FieldPanel("email"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class UnionStaffMember(Orderable):
    """A union employee as shown on the union's page (U-3.15.5)."""

    page = ParentalKey(UnionPage, on_delete=models.CASCADE, related_name="staff_members")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    office = models.CharField(_("office"), max_length=200, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("title"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("office"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"


class UnionFeature(models.TextChoices):
    """Features a union can switch off (U-3.16.10). Navigation entries and views of a
    feature ask `UnionSettings.feature_on(key)`."""

    ACTIVITY = "activity", _("Activity stream")
    MESSAGING = "messaging", _("Messages and bulletins by email")
    CAMPAIGNS = "campaigns", _("Campaigns")
    DISCUSSIONS = "discussions", _("Discussions")
    SURVEYS = "surveys", _("Surveys and petitions")
    WORKPLACE_MAPPING = "workplace_mapping", _("Workplace mapping")


class RegisterFlow(models.TextChoices):
    """Which way one kind of register data flows (U-2.5)."""

    ONE_WAY = "one_way", _("Member register → portal only")
    TWO_WAY = "two_way", _("Both ways")


# The kinds of member-register data (register/records.py KINDS), in import order.
REGISTER_KINDS = ("people", "employers", "workplaces", "employments", "positions", "trainings")


class UnionSettings(models.Model):
    """Per-union settings kept by the union's admins (U-3.16.10).

    Brand colours and logo are the theme's (themes/); the union's name and default
    language are on Union itself and edited on the same admin form.
    """

    union = models.OneToOneField(
        Union, verbose_name=_("union"), on_delete=models.CASCADE, related_name="settings"
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    member_service_email = models.EmailField(_("member service email"), blank=True)
    privacy_contact_email = models.EmailField(
        _("data protection contact"), blank=True,
        help_text=_("Where people send requests about their personal data."),
    )
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    disabled_features = models.JSONField(
        _("switched-off features"), default=list, blank=True,
        help_text=_("Keys of UnionFeature that this union has switched off."),
    )
    register_flow = models.JSONField(
        _("member register data flow"), default=dict, blank=True,
        help_text=_("Per kind of register data, RegisterFlow; both ways when not given."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UnionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("union settings")
        verbose_name_plural = _("union settings")

    def __str__(self) -> str:
        return str(self.union)

    def feature_on(self, key: str) -> bool:
        return key not in self.disabled_features

    def register_flow_of(self, kind: str) -> str:
        """RegisterFlow of one kind of register data (people, employments, …). Both ways
        until the union chooses: without a register, the portal's forms stay editable."""
        value = (self.register_flow or {}).get(kind)
        return value if value in RegisterFlow.values else RegisterFlow.TWO_WAY

    def register_one_way(self, kind: str) -> bool:
        return self.register_flow_of(kind) == RegisterFlow.ONE_WAY

    @classmethod
    def for_union(cls, union: Union) -> UnionSettings:
        """The union's settings (defaults when none are saved yet; not written here)."""
        found = cls.objects.for_union(union).first()
        return found if found is not None else cls(union=union)
