from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from evident.accounts.policies import allow, public, signed_in
from evident.accounts.roles import Role
from evident.core import services
from evident.core.forms import ClosureDayForm
from evident.core.models import ClosureDay


@signed_in
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@public
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@public
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@allow(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def closure_days(request: HttpRequest) -> HttpResponse:
    form = ClosureDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.closure_day_add(
            actor=request.user, day=form.cleaned_data["day"], reason=form.cleaned_data["reason"]
        )
        messages.success(request, "Closure day added. Time limits now skip it.")
        return redirect("core:closure_days")
    return render(
        request, "core/closure_days.html", {"form": form, "days": ClosureDay.objects.all()}
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return render(request, "500.html", status=500)
