from django.urls import path

from evident.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("add/", views.add, name="add"),
    path("<uuid:person_id>/", views.person, name="person"),
    path("<uuid:person_id>/who-has-viewed/", views.access_log, name="access_log"),
]
