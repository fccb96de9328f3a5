"""The lesson block that shows an H5P activity (``courses.blocks`` exposes it
as ``H5PActivityBlock``, the ``h5p`` block of the lesson body)."""

import pickle

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from training_platform import content_cache

from . import selectors, tokens
from .models import GradePolicy


class H5PContentChooserBlock(SnippetChooserBlock):
    """The activity's content row read from the content cache (a lesson view
    asks for it every time); saving or deleting a content row bumps the
    content version (``H5PConfig.ready``). In migrations it is Wagtail's own
    snippet chooser: it stores the same value."""

    canonical_module_path = "wagtail.snippets.blocks.SnippetChooserBlock"

    def bulk_to_python(self, values):
        parent = super()
        data = content_cache.cached(
            content_cache.content_key("h5p-contents", *values),
            lambda: pickle.dumps(parent.bulk_to_python(values)),
        )
        return pickle.loads(data)  # noqa: S301 (written here only)


class H5PActivityBlock(blocks.StructBlock):
    content = H5PContentChooserBlock(
        "h5p.H5PContent",
        label=_("H5P activity"),
        help_text=_("Import packages under “H5P activities” in the admin menu."),
    )
    title = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=255,
        help_text=_("Shown above the activity. Leave empty to use the package title."),
    )
    pass_threshold = blocks.IntegerBlock(
        label=_("Pass mark (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Leave empty to use the pass mark set on the activity."),
    )
    grade_policy = blocks.ChoiceBlock(
        label=_("Grade kept"),
        choices=GradePolicy.choices,
        required=False,
        help_text=_("Leave empty to use the setting of the activity."),
    )

    class Meta:
        icon = "pick"
        label = _("H5P activity")
        description = _("An interactive H5P activity.")
        template = "h5p/blocks/h5p_activity.html"
        form_classname = "h5p-activity-block"

    def activity_key(self, value) -> str:
        content = value.get("content")
        return content.activity_key if content is not None else ""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        request = parent_context.get("request")
        page = parent_context.get("page") or parent_context.get("self")
        content = value.get("content")
        context["content"] = content
        context["heading"] = value.get("title") or (content.title if content else "")
        user = getattr(request, "user", None)
        if content is None or request is None or not user.is_authenticated:
            return context
        threshold = value.get("pass_threshold")
        policy = value.get("grade_policy") or content.grade_policy
        # A preview (a trainer checking the page) records results, never
        # course progress.
        in_lesson = page is not None and not getattr(request, "is_preview", False)
        lesson_id = getattr(page, "pk", None) if in_lesson else None
        context_key = str(page.translation_key) if lesson_id else ""
        launch = tokens.launch_token(
            user=user,
            content=content,
            parent_origin=selectors.site_origin(request),
            activity_key=self.activity_key(value),
            context_key=context_key,
            lesson_id=lesson_id,
            pass_threshold=content.pass_threshold if threshold is None else threshold,
            grade_policy=policy,
        )
        context.update(
            {
                "launch": launch,
                "player_url": selectors.content_origin(request)
                + reverse("h5p:player", args=[launch]),
                "xapi_url": reverse("h5p:statements"),
                "state_url": reverse("h5p:state"),
                "csrf": get_token(request),
                "result": selectors.result_for(
                    user=user,
                    activity_key=self.activity_key(value),
                    context_key=context_key,
                ),
            }
        )
        return context
