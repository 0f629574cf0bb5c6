from django.urls import path

from . import views

app_name = "passkeys"
urlpatterns = [
    path("", views.passkey_list, name="list"),
    path("<int:pk>/remove/", views.passkey_remove, name="remove"),
    path("register/options/", views.register_options, name="register_options"),
    path("register/", views.register_verify, name="register"),
    path("signin/options/", views.signin_options, name="signin_options"),
    path("signin/", views.signin_verify, name="signin"),
    path("stepup/options/", views.stepup_options, name="stepup_options"),
    path("stepup/", views.stepup_verify, name="stepup"),
]
