from django.urls import path

from . import breach_views, views

app_name = "dpo"
urlpatterns = [
    path("officers/", views.DesignationView.as_view(), name="officers"),
    path("officers/<int:pk>/remove/", views.remove_officer, name="remove"),
    path("officers/setting/", views.viewers_setting, name="setting"),
    path("audit-log/", views.ReviewView.as_view(), name="review"),
    path("audit-log/export/", views.export_csv, name="export"),
    path("alerts/", views.AlertsView.as_view(), name="alerts"),
    path("worksheets/", breach_views.WorksheetListView.as_view(), name="worksheets"),
    path("worksheets/new/", breach_views.WorksheetStartView.as_view(), name="worksheet_new"),
    path("worksheets/<int:pk>/", breach_views.WorksheetView.as_view(), name="worksheet"),
    path("worksheets/<int:pk>/print/", breach_views.worksheet_print, name="worksheet_print"),
]
