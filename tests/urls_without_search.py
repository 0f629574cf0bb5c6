"""The project's URLs without the main search, to check that no dead search box is drawn."""

from portal.urls import urlpatterns as _all

urlpatterns = [p for p in _all if getattr(p, "namespace", None) != "search"]
