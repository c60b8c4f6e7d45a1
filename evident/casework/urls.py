from django.urls import path

from evident.casework import views

app_name = "casework"

urlpatterns = [
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/<uuid:episode_id>/allocate/", views.allocate, name="allocate"),
    path("episodes/<uuid:episode_id>/", views.episode, name="episode"),
    path("episodes/<uuid:episode_id>/steps/<slug:step>/", views.step, name="step"),
    path("children/<uuid:person_id>/chronology/", views.chronology, name="chronology"),
    path("due/", views.due, name="due"),
    path("caseloads/", views.caseloads, name="caseloads"),
    path("panel/", views.panel, name="panel"),
]
