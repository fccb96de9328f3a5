"""The record of every notification, for administrators: search by
recipient, filter by event, status and date."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn

from training_platform.records import RecordViewSet

from . import registry
from .models import Notification, NotificationStatus


def _event_choices():
    return [(event.name, event.label) for event in registry.events()]


class NotificationFilterSet(WagtailFilterSet):
    event = django_filters.ChoiceFilter(label=_("Event"), choices=_event_choices)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=NotificationStatus.choices
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Created"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Notification
        fields = ["event", "status", "created_at"]


class NotificationViewSet(RecordViewSet):
    model = Notification
    icon = "mail"
    menu_label = _("Notifications")
    menu_order = 330
    add_to_admin_menu = True
    url_prefix = "notifications/log"
    filterset_class = NotificationFilterSet
    search_fields = ["recipient__email", "recipient__full_name", "key", "subject"]
    search_backend_name = None
    ordering = ["-created_at"]
    list_per_page = 50
    list_display = [
        Column("recipient", label=_("Recipient"), accessor="recipient.email"),
        Column("event", label=_("Event")),
        DateColumn("created_at", label=_("Created")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("sent_at", label=_("Delivered")),
        Column("attempts", label=_("Attempts")),
    ]
    list_export = [
        "recipient.email",
        "event",
        "key",
        "created_at",
        "get_status_display",
        "sent_at",
        "attempts",
        "last_error",
    ]
    inspect_view_fields = [
        "recipient",
        "event",
        "key",
        "subject",
        "language",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "read_at",
        "last_error",
    ]

    def get_queryset(self, request):
        return Notification.objects.select_related("recipient")


notification_viewset = NotificationViewSet("notifications_log")


@hooks.register("register_admin_viewset")
def register_notification_viewset():
    return notification_viewset
