from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from . import roles


def coordinator_required(view):
    """Coordinators and administrators only. MFA is enforced for these paths by
    StaffMFAMiddleware before the view runs."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (roles.is_coordinator(user) or roles.is_administrator(user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def report_viewer_required(view):
    """Coordinators, administrators and trainers: the survey answers and the
    impact of the training are read by those who teach as well (each within
    the scope of ``scope_by_country``). MFA is enforced for these paths by
    StaffMFAMiddleware before the view runs."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (
            roles.is_coordinator(user)
            or roles.is_administrator(user)
            or roles.is_trainer(user)
        ):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
