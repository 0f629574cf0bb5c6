from django.urls import path

from . import views, views_people, views_teams

app_name = "campaigns"
urlpatterns = [
    path("campaigns/", views.campaign_list, name="list"),
    path("campaigns/new/", views.campaign_create, name="create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("campaigns/<int:pk>/people/", views_people.people, name="people"),
    path("campaigns/<int:pk>/people/<int:person_id>/", views_people.contact, name="contact"),
    path("campaigns/<int:pk>/potential/<int:potential_id>/", views_people.contact_potential,
         name="contact_potential"),
    path("campaigns/<int:pk>/log/", views_people.log, name="log"),
    path("campaigns/<int:pk>/leaders/", views_people.leaders, name="leaders"),
    path("campaigns/<int:pk>/teams/", views_teams.teams, name="teams"),
    path("campaigns/teams/<int:pk>/", views_teams.team, name="team"),
    path("campaigns/invitations/<int:pk>/", views_teams.invitation, name="invitation"),
]
