from django.urls import path

from . import bulletin_views as views

app_name = "bulletins"
urlpatterns = [
    path("branches/<int:branch_id>/bulletins/", views.branch_bulletins, name="list"),
    path("branches/<int:branch_id>/bulletins/new/", views.bulletin_new, name="new"),
    path("bulletins/<int:pk>/edit/", views.bulletin_edit, name="edit"),
    path("bulletins/<int:pk>/preview/", views.bulletin_preview, name="preview"),
    path("bulletins/<int:pk>/send/", views.bulletin_send, name="send"),
    path("bulletins/<int:pk>/report/", views.bulletin_report, name="report"),
    path("bulletins/<int:pk>/cancel/", views.bulletin_cancel, name="cancel"),
]
