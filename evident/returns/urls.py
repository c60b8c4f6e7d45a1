from django.urls import path

from evident.returns import views

app_name = "returns"

urlpatterns = [
    path("cin-census/", views.cin_census, name="cin_census"),
]
