from django.urls import path

from . import views

app_name = "membercard"
urlpatterns = [
    path("card/", views.card, name="card"),
    path("card/verify/<str:token>/", views.verify, name="verify"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("app-icon.svg", views.app_icon, name="app_icon"),
]
