from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import H5PUploadForm
from .services import content_import, user_can_install_libraries
from .validation import PackageRejected


class H5PUploadView(WagtailAdminTemplateMixin, FormView):
    """The admin's way into ``content_import`` (the same pipeline as the
    ``import_h5p`` command)."""

    form_class = H5PUploadForm
    template_name = "h5p/admin/upload.html"
    page_title = gettext_lazy("Import an H5P package")
    header_icon = "pick"
    index_url_name = "wagtailsnippets_h5p_h5pcontent:list"
    edit_url_name = "wagtailsnippets_h5p_h5pcontent:edit"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("h5p.add_h5pcontent"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_install_libraries"] = user_can_install_libraries(self.request.user)
        context["index_url"] = reverse(self.index_url_name)
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["package"]
        try:
            content = content_import(
                file=upload,
                user=self.request.user,
                title=form.cleaned_data.get("title") or None,
                filename=upload.name,
            )
        except PackageRejected as rejected:
            return self.render_to_response(
                self.get_context_data(form=form, problems=rejected.problems)
            )
        messages.success(
            self.request, _("“%(title)s” was imported.") % {"title": content.title}
        )
        for note in content.import_notes:
            messages.info(self.request, note)
        return redirect(reverse(self.edit_url_name, args=[content.pk]))
