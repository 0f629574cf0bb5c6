from django.urls import path

from . import views

app_name = "groups"
urlpatterns = [
    path("", views.GroupListView.as_view(), name="list"),
    path("add/", views.GroupFormView.as_view(), name="add"),
    path("<int:pk>/", views.GroupDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.GroupFormView.as_view(), name="edit"),
]
