"""Admin UI: certificate templates (snippets, for trainers) and the
certificate register (coordinators: their countries only; administrators:
all) with filters, CSV/XLSX export and the staff actions revoke, reissue and
regenerate. The admin is behind MFA for staff."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, DateFromToRangeFilter, ModelChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.shared_materials import SharedMaterialsMixin
from training_platform.accounts.models import Country
from training_platform.accounts.permissions import ServiceOnlyPolicy
from training_platform.accounts.selectors import countries_visible_to
from training_platform.records import RecordViewSet
from training_platform.spreadsheets import safe_text as spreadsheet_safe

from . import selectors, services
from .models import Certificate, CertificateTemplate, PdfStatus


class CertificateTemplateViewSet(SharedMaterialsMixin, SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full-inverse"
    menu_label = _("Certificate templates")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "language", "page_size", "orientation", "version"]
    list_filter = ["language"]
    search_fields = ["name"]


register_snippet(CertificateTemplateViewSet)


def _country_queryset(request):
    if request is None:
        return Country.objects.none()
    return countries_visible_to(request.user)


class CertificateFilterSet(WagtailFilterSet):
    status = ChoiceFilter(
        label=_("Status"),
        choices=[
            ("valid", _("Valid")),
            ("expired", _("Expired")),
            ("revoked", _("Revoked")),
            ("superseded", _("Superseded")),
            ("pending", _("Pending")),
        ],
        method="filter_status",
        empty_label=_("Any"),
    )
    country = ModelChoiceFilter(
        label=_("Country"),
        field_name="user__country",
        queryset=_country_queryset,
    )
    issued_at = DateFromToRangeFilter(label=_("Issued between"))

    class Meta:
        model = Certificate
        fields = ["status", "country", "language", "issued_at"]

    def filter_status(self, queryset, name, value):
        if value == "valid":
            return queryset.valid()
        if value == "expired":
            return queryset.expired()
        return queryset.filter(status=value)


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        return selectors.certificates_visible_to(self.request.user).select_related(
            "user", "user__country", "user__organisation"
        )

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {field: spreadsheet_safe(value) for field, value in row_dict.items()}
        )

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        # Text cells are written as text (never formulae) by Wagtail; the
        # same prefix as in CSV keeps both exports identical.
        safe = {
            field: value if not isinstance(value, str) else spreadsheet_safe(value)
            for field, value in row_dict.items()
        }
        return super().generate_xlsx_row(worksheet, safe, date_format)


class CertificateInspectView(InspectView):
    template_name = "certificates/admin/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            selectors.certificates_visible_to(self.request.user), pk=self.pk
        )

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.object
        can_act = self.request.user.has_perm("certificates.revoke_certificate")
        context.update(
            {
                "events": certificate.events.select_related("actor"),
                "can_act": can_act,
                "revoke_form": ReasonForm(),
                "reissue_form": ReissueForm(),
                "regenerate_form": RegenerateForm(),
                "public_status": certificate.get_public_status_display(),
                "verify_path": reverse(
                    "certificates_public:detail", kwargs={"code": certificate.code}
                ),
                "pdf_ready": certificate.pdf_status == PdfStatus.READY,
            }
        )
        return context


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReissueForm(ReasonForm):
    learner_name = forms.CharField(
        label=_("Corrected name"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the name in the learner's profile."),
    )


class RegenerateForm(ReasonForm):
    use_current_template = forms.BooleanField(
        label=_("Use the template's current version"), required=False
    )


class CertificateViewSet(RecordViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificate register")
    menu_order = 320
    add_to_admin_menu = True
    url_prefix = "certificates/register"
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    filterset_class = CertificateFilterSet
    search_fields = ["learner_name", "course_title", "code"]
    search_backend_name = None
    ordering = ["-issued_at", "-created_at"]
    list_per_page = 50
    list_display = [
        "learner_name",
        "course_title",
        Column(
            "public_status", label=_("Status"), accessor="get_public_status_display"
        ),
        Column("country", label=_("Country"), accessor="user.country"),
        DateColumn("issued_at", label=_("Issued")),
        DateColumn("expires_at", label=_("Expires")),
        Column("display_code", label=_("Code")),
    ]
    list_export = [
        "display_code",
        "learner_name",
        "user.email",
        "user.country",
        "user.organisation",
        "course_title",
        "get_public_status_display",
        "issued_at",
        "expires_at",
        "score",
        "revocation_reason",
    ]
    export_headings = {
        "display_code": _("Code"),
        "learner_name": _("Name as issued"),
        "user.email": _("E-mail"),
        "user.country": _("Country"),
        "user.organisation": _("Organisation"),
        "course_title": _("Course"),
        "get_public_status_display": _("Status"),
        "issued_at": _("Issued"),
        "expires_at": _("Expires"),
        "score": _("Final score"),
        "revocation_reason": _("Reason for revocation"),
    }
    export_filename = "certificates"
    inspect_view_fields = [
        "learner_name",
        "course_title",
        "course_title_secondary",
        "language",
        "score",
        "hours",
        "completed_at",
        "issued_at",
        "expires_at",
        "template",
        "template_version",
        "revoked_at",
        "revocation_reason",
        "pdf_status",
    ]

    def extra_urlpatterns(self):
        # Certificates change through services: these views call them.
        return [
            path("action/<int:pk>/<str:action>/", self.action_view, name="action"),
            path("file/<int:pk>/<str:kind>/", self.file_view, name="file"),
        ]

    def action_view(self, request, pk, action):
        """Revoke, reissue or regenerate, with a reason (staff with the
        revoke permission, within their scope)."""
        if not request.user.has_perm("certificates.revoke_certificate"):
            raise PermissionDenied
        certificate = get_object_or_404(
            selectors.certificates_visible_to(request.user), pk=pk
        )
        form_class = {
            "revoke": ReasonForm,
            "reissue": ReissueForm,
            "regenerate": RegenerateForm,
        }.get(action)
        if form_class is None:
            raise Http404
        inspect_url = reverse(self.get_url_name("inspect"), args=[certificate.pk])
        if request.method != "POST":
            return redirect(inspect_url)
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason."))
            return redirect(inspect_url)
        data = form.cleaned_data
        try:
            if action == "revoke":
                services.certificate_revoke(
                    certificate=certificate, by=request.user, reason=data["reason"]
                )
                messages.success(request, _("The certificate was revoked."))
            elif action == "reissue":
                new = services.certificate_reissue(
                    certificate=certificate,
                    by=request.user,
                    reason=data["reason"],
                    learner_name=data.get("learner_name") or None,
                )
                messages.success(request, _("A new certificate replaces this one."))
                inspect_url = reverse(self.get_url_name("inspect"), args=[new.pk])
            else:
                services.certificate_regenerate(
                    certificate=certificate,
                    by=request.user,
                    reason=data["reason"],
                    use_current_template=data.get("use_current_template", False),
                )
                messages.success(request, _("The document is being produced again."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(inspect_url)

    def file_view(self, request, pk, kind):
        if not self.permission_policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        certificate = get_object_or_404(
            selectors.certificates_visible_to(request.user).filter(
                pdf_status=PdfStatus.READY
            ),
            pk=pk,
        )
        field = certificate.pdf if kind == "pdf" else certificate.png
        if kind not in ("pdf", "png") or not field:
            raise Http404
        return FileResponse(
            field.open("rb"),
            as_attachment=True,
            filename=f"certificate-{certificate.code}.{kind}",
        )


register_permission_policy(Certificate, ServiceOnlyPolicy(Certificate))
certificate_viewset = CertificateViewSet("certificate_register")


@hooks.register("register_admin_viewset")
def register_certificate_register():
    return certificate_viewset
