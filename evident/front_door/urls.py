from django.urls import path

from evident.front_door import views

app_name = "front_door"

urlpatterns = [
    path("contacts/", views.tray, name="tray"),
    path("contacts/clocks/", views.tray_clocks, name="tray_clocks"),
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
]
