from django.urls import path

from . import views

urlpatterns = [
    path("profile/who-viewed/", views.own_viewers, name="dpo_own_viewers"),
]
