from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import EraseForm, ProfileForm


@login_required
def profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, user=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    else:
        form = ProfileForm(user=request.user)
    return render(request, "accounts/profile.html", {"form": form})


# ------------------------------------------------- the person's own data


@login_required
def data(request):
    """Download everything held about me; erase my account."""
    from django.conf import settings
    from django.utils import translation

    from . import personal_data

    if request.method == "POST":
        personal_data.export_request(
            user=request.user,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        messages.success(
            request,
            _("Your file is being prepared. This page shows when it is ready."),
        )
        return redirect("accounts:data")
    return _data_page(request, EraseForm(user=request.user))


def _data_page(request, erase_form, status=200):
    from training_platform.reports.export_views import export_state

    from . import personal_data

    export = personal_data.latest_export(request.user)
    return render(
        request,
        "accounts/data.html",
        {"export": export, **export_state(export), "erase_form": erase_form},
        status=status,
    )


@login_required
def data_download(request, pk):
    from django.shortcuts import get_object_or_404

    from training_platform.reports.export_views import serve_export
    from training_platform.reports.models import ReportExport

    from .personal_data import PERSONAL_DATA

    # Someone else's file is not found, whoever asks.
    job = get_object_or_404(
        ReportExport, pk=pk, requested_by=request.user, table=PERSONAL_DATA
    )
    return serve_export(request, job)


@login_required
def erase(request):
    from django.contrib.auth import logout

    from . import personal_data

    if request.method != "POST":
        return redirect("accounts:data")
    form = EraseForm(request.POST, user=request.user)
    if not form.is_valid():
        return _data_page(request, form, status=400)
    personal_data.account_erase(
        user=request.user,
        by=request.user,
        revoke_certificates=form.cleaned_data["revoke_certificates"],
    )
    logout(request)
    messages.success(request, _("Your account has been erased."))
    return redirect("/")


@login_required
def consent(request):
    """Accept the current privacy notice (recorded with its version and
    time), then go on where one was going."""
    from django.conf import settings

    from training_platform.views import safe_next

    from . import services
    from .forms import ConsentForm

    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.consent_version == settings.PRIVACY_POLICY_VERSION:
        return redirect(next_url)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.consent_record(user=request.user)
        return redirect(next_url)
    return render(
        request,
        "accounts/consent.html",
        {
            "form": form,
            "next": next_url,
            "version": settings.PRIVACY_POLICY_VERSION,
            "notice_url": settings.PRIVACY_NOTICE_URL,
            "accepted": request.user.consent_version,
        },
    )
