from django.urls import path

from evident.inspection import views

app_name = "inspection"

urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("notification/", views.notification_new, name="notification_new"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path(
        "activities/<int:pk>/checklist/<int:item_pk>/",
        views.checklist_tick,
        name="checklist_tick",
    ),
    path("activities/<int:pk>/annex-a/freeze/", views.annex_a_freeze, name="annex_a_freeze"),
    path("activities/<int:pk>/annex-a.xlsx", views.annex_a_download, name="annex_a_download"),
    path("activities/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("activities/<int:pk>/findings/", views.findings_edit, name="findings"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("checklist/", views.checklist_template, name="checklist_template"),
    path("plan/", views.plan, name="plan"),
    path("plan/publish/", views.plan_publish, name="plan_publish"),
    path("plan/priorities/new/", views.priority_new, name="priority_new"),
    path("plan/priorities/<int:priority_pk>/actions/new/", views.action_new, name="action_new"),
    path("plan/actions/<int:pk>/", views.action_detail, name="action"),
    path("targets/", views.targets, name="targets"),
    path("boards/", views.boards, name="boards"),
    path("boards/<int:pk>/", views.board_detail, name="board"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/pack/", views.board_pack, name="pack"),
    path("meetings/<int:pk>/pack.pdf", views.board_pack_pdf, name="pack_pdf"),
    path("meetings/<int:pk>/pack/issue/", views.board_pack_issue, name="pack_issue"),
    path("meetings/<int:pk>/actions/", views.meeting_action_add, name="meeting_action_add"),
    path("board-actions/<int:pk>/", views.meeting_action_detail, name="meeting_action"),
    path("issued-packs/<int:pk>.pdf", views.board_pack_issued, name="pack_issued"),
    path("self-evaluation/", views.self_evaluations, name="self_evaluations"),
    path("self-evaluation/<int:year>/", views.self_evaluation, name="self_evaluation"),
    path(
        "self-evaluation/versions/<int:pk>/",
        views.self_evaluation_version,
        name="self_evaluation_version",
    ),
    path(
        "self-evaluation/versions/<int:pk>/export.<str:fmt>",
        views.self_evaluation_export,
        name="self_evaluation_export",
    ),
]
