"""Per-union feature switches (U-3.16.10), read once per request."""

from __future__ import annotations

from django.http import Http404

_CACHE = "_union_settings_cache"


def switchable_features():
    """The features that exist and can be switched off, in UnionFeature order. The other
    keys of UnionFeature are planned features: no switch until they are built (a switch
    that changes nothing misleads the admin)."""
    from .models import UnionFeature

    return (UnionFeature.ACTIVITY, UnionFeature.MESSAGING, UnionFeature.DISCUSSIONS,
            UnionFeature.CAMPAIGNS, UnionFeature.WORKPLACE_MAPPING)


def feature_on(request, key: str) -> bool:
    union = getattr(request, "union", None)
    if union is None:
        return True
    settings = getattr(request, _CACHE, None)
    if settings is None:
        from .models import UnionSettings

        try:
            settings = union.settings  # fetched with the union by UnionMiddleware
        except UnionSettings.DoesNotExist:
            settings = UnionSettings(union=union)  # defaults: every feature on
        setattr(request, _CACHE, settings)
    return settings.feature_on(key)


def require_feature(request, key: str) -> None:
    """A switched-off feature answers 404, like a feature the union does not have."""
    if not feature_on(request, key):
        raise Http404
