from django.urls import path

from evident.casework import views

app_name = "casework"

urlpatterns = [
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/<uuid:episode_id>/allocate/", views.allocate, name="allocate"),
]
