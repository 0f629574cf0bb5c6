from django.urls import path

from . import views

app_name = "merging"
urlpatterns = [
    path("", views.CandidatesView.as_view(), name="candidates"),
    path("compare/<int:pk_a>/<int:pk_b>/", views.CompareView.as_view(), name="compare"),
    path("dismiss/<int:pk_a>/<int:pk_b>/", views.DismissView.as_view(), name="dismiss"),
    path("merges/<int:pk>/", views.RecordView.as_view(), name="record"),
    path("merges/<int:pk>/undo/", views.UndoView.as_view(), name="undo"),
]
