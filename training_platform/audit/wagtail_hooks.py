"""The audit log in the admin, for administrators: read and filter, no add,
edit or delete (for superusers neither)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permissions import register_permission_policy

from training_platform.accounts.permissions import ServiceOnlyPolicy
from training_platform.records import RecordViewSet

from .models import AuditAction, AuditEntry


class AddressFilter(django_filters.Filter):
    # A malformed address is a form error, not a database error (inet).
    field_class = forms.GenericIPAddressField


class AuditFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(label=_("What"), choices=AuditAction.choices)
    at = django_filters.DateFromToRangeFilter(
        label=_("When"), widget=DateRangePickerWidget
    )
    actor = django_filters.CharFilter(label=_("Who"), lookup_expr="icontains")
    address = AddressFilter(label=_("From address"))

    class Meta:
        model = AuditEntry
        fields = ["action", "at", "actor", "address"]


class AuditViewSet(RecordViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    menu_order = 340
    add_to_admin_menu = True
    url_prefix = "audit"
    filterset_class = AuditFilterSet
    search_fields = ["actor", "object_label", "object_id"]
    search_backend_name = None
    ordering = ["-at", "-pk"]
    list_per_page = 50
    list_display = [
        DateColumn("at", label=_("When")),
        Column("actor", label=_("Who")),
        Column("action", label=_("What"), accessor="get_action_display"),
        Column("object_label", label=_("Object")),
        Column("address", label=_("From address")),
    ]
    # Every field of an entry, in the file and on its page.
    list_export = inspect_view_fields = [
        "at",
        "actor",
        "actor_id",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "address",
        "details",
    ]


register_permission_policy(AuditEntry, ServiceOnlyPolicy(AuditEntry))


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditViewSet("audit_log")
