from django.urls import path

from . import views

app_name = "privacy_admin"
urlpatterns = [
    path("people/<int:pk>/", views.PersonExportView.as_view(), name="person"),
    path("people/<int:pk>/basis/", views.LegalBasisView.as_view(), name="basis"),
    path("exports/<int:pk>/", views.staff_download, name="download"),
]
