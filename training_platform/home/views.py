from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def dashboard(request):
    """"My learning": every app adds its section in home/dashboard.html."""
    return render(request, "home/dashboard.html", {})
