from django.urls import path

from . import views

app_name = "terms"
urlpatterns = [
    path("", views.current_terms, name="current"),
    path("accept/", views.accept, name="accept"),
]
