from django.urls import path

from . import views

app_name = "erasure"
urlpatterns = [
    path("people/<int:pk>/", views.ConfirmView.as_view(), name="confirm"),
    path("done/<int:pk>/", views.DoneView.as_view(), name="done"),
    path("retention/", views.RetentionView.as_view(), name="retention"),
]
