from django.urls import path

from . import views

app_name = "customfields"
urlpatterns = [
    path("", views.FieldListView.as_view(), name="list"),
    path("add/", views.FieldFormView.as_view(), name="add"),
    path("<int:pk>/", views.FieldFormView.as_view(), name="edit"),
    path("<int:pk>/people/", views.FieldPeopleView.as_view(), name="people"),
    path("people/<int:pk>/", views.PersonValuesView.as_view(), name="person"),
]
