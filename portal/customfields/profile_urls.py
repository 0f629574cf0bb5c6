from django.urls import path

from . import profile_views

app_name = "customfields_own"
urlpatterns = [
    path("profile/custom-fields/", profile_views.own_values, name="edit"),
]
