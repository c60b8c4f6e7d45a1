from django.urls import path

from evident.front_door import views, views_mash, views_outcomes, views_portal

app_name = "front_door"

urlpatterns = [
    path("contacts/", views.tray, name="tray"),
    path("contacts/clocks/", views.tray_clocks, name="tray_clocks"),
    path("contacts/allocate/", views.tray_allocate, name="tray_allocate"),
    path("contacts/<uuid:contact_id>/take/", views.contact_take, name="contact_take"),
    path("contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/new/children/", views.contact_children, name="contact_children"),
    path("contacts/new/children/add/", views.contact_new_child, name="contact_new_child"),
    path("contacts/new/details/", views.contact_details, name="contact_details"),
    path("contacts/new/check/", views.contact_check, name="contact_check"),
    path("contacts/<uuid:contact_id>/", views.contact, name="contact"),
    path("contacts/<uuid:contact_id>/recorded/", views.contact_recorded, name="contact_recorded"),
    path("contacts/<uuid:contact_id>/decide/", views.decide, name="decide"),
    path("contacts/<uuid:contact_id>/authorise/", views.authorise, name="authorise"),
    path("authorisations/", views.authorisations, name="authorisations"),
    path("contacts/<uuid:contact_id>/urgency/", views_mash.contact_urgency, name="urgency"),
    path(
        "contacts/<uuid:contact_id>/information-requests/new/",
        views_mash.information_request_new,
        name="information_request_new",
    ),
    path("standards/", views_mash.standards, name="standards"),
    path("standards/levels/add/", views_mash.level_of_need, name="level_of_need_add"),
    path("standards/levels/<int:level_id>/", views_mash.level_of_need, name="level_of_need"),
    path(
        "contacts/<uuid:contact_id>/early-help/<int:episode_id>/",
        views_outcomes.early_help,
        name="early_help",
    ),
    path(
        "contacts/<uuid:contact_id>/submitted/<int:submitted_id>/",
        views_portal.submitted_child,
        name="submitted_child",
    ),
    path(
        "contacts/<uuid:contact_id>/submitted/<int:submitted_id>/add/",
        views_portal.submitted_child_add,
        name="submitted_child_add",
    ),
]
