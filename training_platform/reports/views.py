from django.shortcuts import render

from training_platform.accounts.decorators import coordinator_required
from training_platform.accounts.selectors import (
    countries_visible_to,
    learners_visible_to,
)


@coordinator_required
def dashboard(request):
    countries = countries_visible_to(request.user)
    learners = learners_visible_to(request.user)
    return render(
        request,
        "reports/dashboard.html",
        {"countries": countries, "learner_count": learners.count()},
    )
