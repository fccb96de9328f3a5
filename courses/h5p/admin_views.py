from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import approvals, selectors
from .forms import H5PUploadForm
from .models import PendingImportStatus
from .services import user_can_install_libraries
from .validation import PackageRejected


class ImportersOnlyMixin:
    """For the people who may import H5P packages (trainers, administrators)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("h5p.add_h5pcontent"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class H5PUploadView(ImportersOnlyMixin, WagtailAdminTemplateMixin, FormView):
    """The admin's way into ``content_import`` (the same pipeline as the
    ``import_h5p`` command)."""

    form_class = H5PUploadForm
    template_name = "h5p/admin/upload.html"
    page_title = gettext_lazy("Import an H5P package")
    header_icon = "pick"
    index_url_name = "wagtailsnippets_h5p_h5pcontent:list"
    edit_url_name = "wagtailsnippets_h5p_h5pcontent:edit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_install_libraries"] = user_can_install_libraries(self.request.user)
        context["index_url"] = reverse(self.index_url_name)
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["package"]
        try:
            content, pending = approvals.content_import_or_hold(
                file=upload,
                user=self.request.user,
                title=form.cleaned_data.get("title") or None,
                filename=upload.name,
            )
        except PackageRejected as rejected:
            return self.render_to_response(
                self.get_context_data(form=form, problems=rejected.problems)
            )
        if pending is not None:
            messages.warning(
                self.request,
                _(
                    "“%(file)s” needs H5P libraries that are not installed on the "
                    "platform yet: %(libraries)s. An administrator must approve "
                    "them; your package is kept and will be imported for you as "
                    "soon as they do."
                )
                % {
                    "file": pending.source_filename,
                    "libraries": ", ".join(pending.missing_libraries),
                },
            )
            return redirect("h5p_pending_imports:index")
        messages.success(
            self.request, _("“%(title)s” was imported.") % {"title": content.title}
        )
        for note in content.import_notes:
            messages.info(self.request, note)
        return redirect(reverse(self.edit_url_name, args=[content.pk]))


class PendingImportIndexView(
    ImportersOnlyMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Packages waiting for an administrator to approve their new libraries:
    administrators approve or refuse them here; trainers follow their own."""

    template_name = "h5p/admin/pending_imports.html"
    page_title = gettext_lazy("H5P packages awaiting approval")
    header_icon = "code"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pending = selectors.pending_imports_visible_to(self.request.user)
        context["waiting"] = [
            p for p in pending if p.status == PendingImportStatus.PENDING
        ]
        context["decided"] = [
            p for p in pending if p.status != PendingImportStatus.PENDING
        ][:50]
        context["can_install_libraries"] = user_can_install_libraries(self.request.user)
        return context

    def post(self, request, *args, **kwargs):
        if not user_can_install_libraries(request.user):
            raise PermissionDenied
        pending = get_object_or_404(
            selectors.pending_imports_visible_to(request.user),
            uuid=kwargs["uuid"],
        )
        action = request.POST.get("action")
        try:
            if action == "approve":
                content = approvals.pending_import_approve(
                    pending=pending, administrator=request.user
                )
                messages.success(
                    request,
                    _(
                        "The libraries were installed and “%(title)s” was imported "
                        "for %(trainer)s."
                    )
                    % {
                        "title": content.title,
                        "trainer": pending.uploaded_by or _("a deleted account"),
                    },
                )
            elif action == "refuse":
                approvals.pending_import_refuse(
                    pending=pending,
                    administrator=request.user,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("The package was refused."))
            else:
                return HttpResponseBadRequest()
        except PackageRejected as rejected:
            messages.error(
                request,
                _("The package cannot be imported: %(reasons)s")
                % {"reasons": " ".join(str(p) for p in rejected.problems)},
            )
        except approvals.PendingImportError as error:
            messages.error(request, str(error))
        return redirect("h5p_pending_imports:index")
