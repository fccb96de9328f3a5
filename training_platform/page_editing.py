"""Edits of one page in the Wagtail admin run one after another.

Wagtail's edit view reads the page when the request starts and, while the
page is a draft, writes the whole page row back at the end. An autosave that
had read the draft before a publish of the same page wrote ``live=False`` over
the published page: the trainer saw "has been published", the publish was
logged, and the lesson stayed a draft. Taking the page's row lock before the
view reads the page makes the later request read what the earlier one wrote
(an autosave after a publish is refused as out of date, or saves a draft of
the live page)."""

from django.db import transaction
from wagtail.models import Page

SERIALISED_VIEWS = frozenset(
    {"wagtailadmin_pages:edit", "wagtailadmin_pages:revisions_revert"}
)


class PageEditLockMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        match = request.resolver_match
        page_id = view_kwargs.get("page_id")
        if match is None or match.view_name not in SERIALISED_VIEWS or not page_id:
            return None
        with transaction.atomic():
            # SQLite has no row locks; its IMMEDIATE transactions (settings)
            # already queue writers for the whole request.
            list(Page.objects.select_for_update().filter(pk=page_id).values("pk"))
            return view_func(request, *view_args, **view_kwargs)
