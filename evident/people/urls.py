from django.urls import path

from evident.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("add/", views.add, name="add"),
    path("<uuid:person_id>/", views.person, name="person"),
    path("<uuid:person_id>/change/", views.change, name="change"),
    path("<uuid:person_id>/who-has-viewed/", views.access_log, name="access_log"),
    path("<uuid:person_id>/merge/", views.merge_find, name="merge_find"),
    path("<uuid:person_id>/merge/<uuid:other_id>/", views.merge_compare, name="merge_compare"),
    path("merges/", views.merges, name="merges"),
    path("merges/<int:merge_id>/", views.merge, name="merge"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="merge_undo"),
]
