from django.urls import path

from . import views

app_name = "officials"
urlpatterns = [
    path("pages/<int:page_id>/", views.OfficialsView.as_view(), name="page"),
    path("pages/<int:page_id>/positions/<int:pk>/term/", views.TermView.as_view(), name="term"),
    path("pages/<int:page_id>/positions/<int:pk>/end/", views.EndTermView.as_view(),
         name="end"),
    path("pages/<int:page_id>/positions/<int:pk>/cancel/",
         views.CancelAppointmentView.as_view(), name="cancel"),
    path("people/<int:pk>/trainings/", views.PersonTrainingsView.as_view(),
         name="person_trainings"),
]
