from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("profile/my-data/", views.own_data, name="own_data"),
    # The old "Download my data" address (people:export_own_data until issue 17).
    path("profile/export/", views.own_export, name="own_export"),
    path("profile/my-data/<int:pk>/", views.own_download, name="own_download"),
]
