"""Admin listings of records that change only through their services
(notifications, certificates, the audit log): listed, filtered, exported
and inspected; no add, edit or delete views."""

from django.urls import path
from wagtail.admin.viewsets.model import ModelViewSet


class RecordViewSet(ModelViewSet):
    # Records written by services and workers, not content: indexing their
    # references would add writes to every change of status.
    add_to_reference_index = False
    inspect_view_enabled = True

    def extra_urlpatterns(self) -> list:
        """A record's own actions, beside index and inspect."""
        return []

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            *self.extra_urlpatterns(),
        ]
