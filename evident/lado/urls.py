from django.urls import path

from evident.lado import views

app_name = "lado"

urlpatterns = [
    path("", views.tray, name="tray"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/<uuid:referral_id>/", views.referral, name="referral"),
    path("referrals/<uuid:referral_id>/consideration/", views.consider, name="consider"),
    path("referrals/<uuid:referral_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("referrals/<uuid:referral_id>/outcome/", views.outcome, name="outcome"),
    path(
        "referrals/<uuid:referral_id>/actions/<int:action_id>/done/",
        views.action_done,
        name="action_done",
    ),
    path("referrals/<uuid:referral_id>/legal-hold/", views.legal_hold, name="legal_hold"),
    path("retention/", views.retention, name="retention"),
    path("retention/rules/<int:rule_id>/", views.retention_rule, name="retention_rule"),
    path("report/", views.annual_report, name="report"),
    path("report/pdf/", views.annual_report_pdf, name="report_pdf"),
    path("report/xlsx/", views.annual_report_xlsx, name="report_xlsx"),
    path("access/", views.grants, name="grants"),
    path("access/<int:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
]
