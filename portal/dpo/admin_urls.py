from django.urls import path

from . import views

app_name = "dpo"
urlpatterns = [
    path("officers/", views.DesignationView.as_view(), name="officers"),
    path("officers/<int:pk>/remove/", views.remove_officer, name="remove"),
    path("officers/setting/", views.viewers_setting, name="setting"),
    path("audit-log/", views.ReviewView.as_view(), name="review"),
    path("audit-log/export/", views.export_csv, name="export"),
    path("alerts/", views.AlertsView.as_view(), name="alerts"),
]
