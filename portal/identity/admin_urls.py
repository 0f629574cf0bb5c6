from django.urls import path

from . import admin_views

app_name = "identity_admin"
urlpatterns = [
    path("", admin_views.ProviderView.as_view(), name="index"),
    path("keys/", admin_views.KeysView.as_view(), name="keys"),
]
