from django.urls import path

from . import list_views, views

app_name = "contacts"
urlpatterns = [
    path("", views.PeopleListView.as_view(), name="list"),
    path("new/", views.PersonCreateView.as_view(), name="add"),
    path("bulk/", list_views.bulk, name="bulk"),
    path("choices/<str:kind>/", list_views.choices, name="choices"),
    path("saved/", list_views.save_filter, name="save_filter"),
    path("saved/delete/", list_views.delete_filter, name="delete_filter"),
    path("<int:pk>/", views.PersonView.as_view(), name="person"),
    path("<int:pk>/edit/", views.PersonEditView.as_view(), name="edit"),
]
