from django.urls import path

from evident.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility", views.accessibility, name="accessibility"),
    path("admin/closure-days/", views.closure_days, name="closure_days"),
]
