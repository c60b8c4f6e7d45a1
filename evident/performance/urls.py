from django.urls import path

from evident.performance import views

app_name = "performance"

urlpatterns = [
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/<slug:code>/", views.indicator, name="indicator"),
    path(
        "indicators/<slug:code>/<int:year>/<int:month>/",
        views.indicator_month,
        name="indicator_month",
    ),
    path("annex-a/", views.annex_a, name="annex_a"),
]
