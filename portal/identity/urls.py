from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("start/", views.start, name="start"),
    path("callback/", views.callback, name="callback"),
    path("jwks.json", views.jwks, name="jwks"),
    path("logout/", views.sign_out, name="logout"),
]
