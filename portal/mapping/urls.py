from django.urls import path

from . import staff_views, views

app_name = "mapping"
urlpatterns = [
    path("mapping/<int:workplace_id>/", views.workplace_mapping, name="workplace"),
    path("mapping/<int:workplace_id>/structure/", views.structure, name="structure"),
    path("mapping/<int:workplace_id>/info/", views.workplace_info, name="info"),
    path("mapping/<int:workplace_id>/people/<int:person_id>/", views.person, name="person"),
    path("mapping/<int:workplace_id>/potential/add/", views.add_potential,
         name="add_potential"),
    path("mapping/<int:workplace_id>/potential/<int:potential_id>/", views.potential,
         name="potential"),
    path("mapping/<int:workplace_id>/export.csv", staff_views.export, name="export"),
    path("mapping/employers/<int:employer_id>/head-count/", staff_views.head_count,
         name="head_count"),
    path("mapping/settings/", staff_views.settings, name="settings"),
    path("mapping/my-assessment/", staff_views.own_assessment, name="own_assessment"),
]
