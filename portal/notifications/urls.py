from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.preferences, name="preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/system/<int:pk>/", views.system_message, name="system_message"),
    path("notifications/system/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
]
