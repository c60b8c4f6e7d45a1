from django.urls import path

from evident.portal import views, views_requests

app_name = "portal"

urlpatterns = [
    path("", views.submissions, name="submissions"),
    path("submit/", views.start, name="start"),
    path("drafts/<uuid:draft_id>/children/", views.children, name="children"),
    path("drafts/<uuid:draft_id>/children/add/", views.child, name="child_add"),
    path("drafts/<uuid:draft_id>/children/<int:index>/", views.child, name="child_change"),
    path(
        "drafts/<uuid:draft_id>/children/<int:index>/remove/",
        views.child_remove,
        name="child_remove",
    ),
    path("drafts/<uuid:draft_id>/concern/", views.concern, name="concern"),
    path("drafts/<uuid:draft_id>/consent/", views.consent, name="consent"),
    path("drafts/<uuid:draft_id>/your-details/", views.referrer, name="referrer"),
    path("drafts/<uuid:draft_id>/check/", views.check, name="check"),
    path("drafts/<uuid:draft_id>/delete/", views.draft_delete, name="draft_delete"),
    path("submissions/<uuid:contact_id>/", views.submission, name="submission"),
    path("submissions/<uuid:contact_id>/sent/", views.confirmation, name="confirmation"),
    path("requests/", views_requests.requests, name="requests"),
    path("requests/<int:request_id>/", views_requests.request_answer, name="request_answer"),
]
