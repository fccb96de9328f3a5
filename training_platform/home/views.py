from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .registry import dashboard_sections


@login_required
def dashboard(request):
    """ "My learning": each app contributes its section (see registry.py)."""
    return render(
        request, "home/dashboard.html", {"sections": dashboard_sections(request)}
    )
