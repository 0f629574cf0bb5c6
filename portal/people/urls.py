from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("profile/", views.own_profile, name="own_profile"),
    path("profile/edit/", views.edit_own_profile, name="edit_own_profile"),
    path("profile/employments/add/", views.add_employment, name="add_employment"),
    path("profile/employments/<int:pk>/", views.edit_employment, name="edit_employment"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
]
