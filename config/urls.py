from django.urls import include, path

urlpatterns = [
    path("", include("evident.core.urls")),
    path("account/", include("evident.accounts.urls")),
    path("people/", include("evident.people.urls")),
    path("front-door/", include("evident.front_door.urls")),
    path("performance/", include("evident.performance.urls")),
    path("portal/", include("evident.portal.urls")),
    path("casework/", include("evident.casework.urls")),
    path("lado/", include("evident.lado.urls")),
    path("portal/lado/", include("evident.lado.urls_portal")),
    path("inspection/", include("evident.inspection.urls")),
    path("returns/", include("evident.returns.urls")),
    path("admin/api-tokens/", include("evident.api.admin_urls")),
    path("api/v1/", include("evident.api.urls")),
]

handler400 = "evident.core.views.bad_request"
handler403 = "evident.core.views.permission_denied"
handler404 = "evident.core.views.page_not_found"
handler500 = "evident.core.views.server_error"
