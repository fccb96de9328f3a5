from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import PreferencesForm
from .models import NotificationPreference


def _title(notification):
    # The subject kept when it was sent (in the recipient's language) keeps
    # the list to a few queries; only messages not sent yet are rendered.
    if notification.subject:
        return notification.subject
    try:
        return services.render(notification)[0]
    except Exception:  # noqa: BLE001 - an entry of a removed event still lists
        return notification.subject or notification.event


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), 20).get_page(
        request.GET.get("page")
    )
    entries = [(notification, _title(notification)) for notification in page]
    return render(
        request,
        "notifications/site/list.html",
        {"page_obj": page, "entries": entries},
    )


@login_required
def notification_detail(request, pk):
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    services.notification_mark_read(notification=notification)
    subject, text, html, _language, _context = services.render(
        notification, language=request.LANGUAGE_CODE
    )
    return render(
        request,
        "notifications/site/detail.html",
        {"notification": notification, "subject": subject, "text": text},
    )


@login_required
@require_POST
def mark_all_read(request):
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
def preferences(request):
    current = not NotificationPreference.objects.filter(
        user=request.user, reminders=False
    ).exists()
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.preference_set(
                user=request.user, reminders=form.cleaned_data["reminders"]
            )
            messages.success(request, _("Your choices are saved."))
            return redirect("notifications:preferences")
    else:
        form = PreferencesForm(initial={"reminders": current})
    return render(request, "notifications/site/preferences.html", {"form": form})


# Mail clients post the one-click unsubscribe (RFC 8058) without a session or
# a CSRF token: the signed token is the proof, and the action only turns
# reminders off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if services.user_id_from_token(token) is None:
        return render(
            request, "notifications/site/unsubscribe_invalid.html", status=400
        )
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(request, "notifications/site/unsubscribed.html")
    return render(request, "notifications/site/unsubscribe.html", {"token": token})
