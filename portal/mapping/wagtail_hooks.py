"""Mapping on the organisation pages (their page context asks these hooks for those who
manage the page; workplaces cannot import mapping, which is above it)."""

from django.urls import reverse
from wagtail import hooks

from portal.access.roles import is_staff
from portal.union.features import feature_on
from portal.union.models import UnionFeature

from .density import density_for


@hooks.register("workplace_page_context")
def workplace_density(*, page, request) -> dict:
    if not feature_on(request, UnionFeature.WORKPLACE_MAPPING):
        return {}
    density = density_for(union=request.union, workplaces=[page.pk]).workplaces.get(page.pk)
    # The page's managers map it (can_map holds for every can_manage_page viewer).
    return {"density": density, "mapping_url": reverse("mapping:workplace", args=[page.pk])}


@hooks.register("employer_page_context")
def employer_density(*, page, request) -> dict:
    if not feature_on(request, UnionFeature.WORKPLACE_MAPPING):
        return {}
    return {
        "density": density_for(union=request.union, employers=[page.pk]).employers.get(page.pk),
        "head_count_url": (reverse("mapping:head_count", args=[page.pk])
                           if is_staff(request.user, request.union) else None),
    }


@hooks.register("register_union_menu_item")
def register_menu_item():
    # The settings are a front-end page (the mapping pages' look); staff find it here.
    from django.utils.translation import gettext_lazy as _

    from portal.adminpanel.menu import ShownIf
    from portal.adminpanel.views import is_union_staff

    return ShownIf(_("Workplace mapping settings"), reverse("mapping:settings"),
                   icon_name="cog", order=380, shown=is_union_staff)


@hooks.register("register_profile_link")
def own_assessment_link(request):
    """The member's profile links to their own assessment only where the union lets
    members see it (off by default); one query, like the other profile links."""
    from django.utils.translation import gettext as _

    from portal.union.sections import cached_section

    from .models import MappingSettings

    if not feature_on(request, UnionFeature.WORKPLACE_MAPPING):
        return None
    # Asked on every profile view: a cached section of the union (update_settings renews it).
    if cached_section(request=request, page=None, name="mapping-own-assessment-link",
                      build=lambda: MappingSettings.objects.for_union(request.union).filter(
                          members_see_own_assessment=True).exists()):
        return _("My assessment"), reverse("mapping:own_assessment")
    return None


@hooks.register("describe_audit_targets")
def describe_audit_targets(union, targets) -> dict:
    """The legal-basis view of a person says where their data was read in words."""
    from .audit_targets import describe

    return describe(union, targets)
