from django.urls import path

from . import views

app_name = "stepup"
urlpatterns = [
    path("stepup/", views.stepup, name="page"),
]
