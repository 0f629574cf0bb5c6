from django.urls import path

from . import views

app_name = "api_clients"
urlpatterns = [
    path("", views.ClientListView.as_view(), name="index"),
    path("new/", views.ClientCreateView.as_view(), name="add"),
    path("<int:pk>/", views.ClientEditView.as_view(), name="edit"),
    path("<int:pk>/revoke/", views.ClientRevokeView.as_view(), name="revoke"),
]
