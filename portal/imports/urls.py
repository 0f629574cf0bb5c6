from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportListView.as_view(), name="index"),
    path("new/", views.UploadView.as_view(), name="upload"),
    path("<int:pk>/", views.JobView.as_view(), name="job"),
    path("<int:pk>/columns/", views.ColumnsView.as_view(), name="columns"),
    path("<int:pk>/preview/", views.PreviewView.as_view(), name="preview"),
    path("<int:pk>/start/", views.StartView.as_view(), name="start"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/rejected.csv", views.download_errors, {"file_format": "csv"},
         name="errors_csv"),
    path("<int:pk>/rejected.xlsx", views.download_errors, {"file_format": "xlsx"},
         name="errors_xlsx"),
]
