from django.urls import path

from . import views

app_name = "dataquality"
urlpatterns = [
    path("", views.ReportView.as_view(), name="report"),
    path("<slug:key>/", views.CheckView.as_view(), name="check"),
]
