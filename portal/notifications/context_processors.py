from django.utils.functional import SimpleLazyObject


def system_banners(request):
    """The system messages shown to the signed-in user (a banner in base.html); read only
    when a page shows them, and then from the per-viewer cache (selectors.banners_for)."""
    from .selectors import banners_for

    return {"system_banners": SimpleLazyObject(lambda: banners_for(request))}
