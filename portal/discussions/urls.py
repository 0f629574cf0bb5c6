from django.urls import path

from . import views

app_name = "discussions"
urlpatterns = [
    path("discussions/", views.inbox, name="inbox"),
    path("discussions/poll/", views.inbox_poll, name="inbox_poll"),
    path("discussions/new/", views.new, name="new"),
    path("discussions/search/", views.search, name="search"),
    path("discussions/<int:conversation_id>/", views.conversation, name="conversation"),
    path("discussions/<int:conversation_id>/poll/", views.poll, name="poll"),
    path("discussions/<int:conversation_id>/called/", views.called, name="called"),
    path("discussions/<int:conversation_id>/messages/<int:message_id>/edit/", views.edit,
         name="edit"),
    path("discussions/<int:conversation_id>/messages/<int:message_id>/delete/", views.delete,
         name="delete"),
    path("discussions/<int:conversation_id>/files/<int:attachment_id>/", views.attachment,
         name="attachment"),
]
