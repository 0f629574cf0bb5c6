from django.urls import path

from . import admin_views

app_name = "terms_admin"
urlpatterns = [
    path("", admin_views.VersionsView.as_view(), name="versions"),
    path("<int:pk>/", admin_views.VersionView.as_view(), name="version"),
]
