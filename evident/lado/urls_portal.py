"""The partner portal's LADO pages, mounted under /portal/lado/ with the rest of the portal."""

from django.urls import path

from evident.lado import views_portal

app_name = "lado_portal"

urlpatterns = [
    path("", views_portal.portal_list, name="portal_list"),
    path("refer/", views_portal.portal_start, name="portal_start"),
    path("refer/adult/", views_portal.portal_adult, name="portal_adult"),
    path("refer/allegation/", views_portal.portal_allegation, name="portal_allegation"),
    path("refer/your-details/", views_portal.portal_referrer, name="portal_referrer"),
    path("refer/check/", views_portal.portal_check, name="portal_check"),
    path("<uuid:referral_id>/", views_portal.portal_detail, name="portal_detail"),
]
