from django.urls import path

from . import views

app_name = "lifeevents"
urlpatterns = [
    path("birthdays/", views.BirthdaysView.as_view(), name="birthdays"),
    path("people/<int:pk>/", views.PersonView.as_view(), name="person"),
]
