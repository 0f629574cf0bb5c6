from django.urls import path

from . import admin_views

app_name = "notifications_admin"
urlpatterns = [
    path("", admin_views.ListView.as_view(), name="list"),
    path("<int:pk>/", admin_views.EditView.as_view(), name="edit"),
]
