from django.urls import path

from . import views

app_name = "register"
urlpatterns = [
    path("", views.RegisterFlowView.as_view(), name="flow"),
    path("conflicts/", views.ConflictListView.as_view(), name="conflicts"),
]
