from django.urls import path

from . import positions, views

app_name = "adminpanel"
urlpatterns = [
    path("union-page/", views.union_page, name="union_page"),
    path("agreements/", views.agreements, name="agreements"),
    path("settings/", views.UnionSettingsView.as_view(), name="settings"),
    path("blacklist/", views.BlacklistView.as_view(), name="blacklist"),
    path("blacklist/<int:pk>/lift/", views.UnblockView.as_view(), name="unblock"),
    path("accounts/<int:pk>/invitation/", views.InvitationView.as_view(), name="invitation"),
    path("positions/", positions.PositionsView.as_view(), name="positions"),
    path("people/search/", positions.people_search, name="people_search"),
    path("positions/<int:pk>/end/", positions.EndPositionView.as_view(), name="end_position"),
    path("unions/", views.UnionListView.as_view(), name="unions"),
    path("unions/new/", views.CreateUnionView.as_view(), name="create_union"),
    path("unions/<int:pk>/", views.ConfigureUnionView.as_view(), name="configure_union"),
]
