from django import template
from django.utils import translation
from django.utils.html import format_html_join

from training_platform import content_cache

register = template.Library()

# Lesson blocks whose HTML is the same for every learner. Activities (H5P)
# carry the learner's own state and are always rendered for the request.
SHARED_BLOCKS = {"rich_text", "image", "video", "document", "callout", "accordion"}


@register.simple_tag(takes_context=True)
def lesson_body(context, page):
    """The lesson's blocks, as ``{% include_block %}`` renders them. The HTML
    of blocks that are the same for everyone is kept in the cache (until a
    page changes), so their images and documents are not even loaded."""
    request = context.get("request")
    body = page.body
    cacheable = bool(page.pk) and not getattr(request, "is_preview", False)
    parts = []
    for index, raw in enumerate(body.raw_data):

        def render(index=index):
            return body[index].render_as_block(context=context.flatten())

        block_id = raw.get("id") if isinstance(raw, dict) else None
        block_type = raw.get("type") if isinstance(raw, dict) else None
        if not (cacheable and block_id and block_type in SHARED_BLOCKS):
            parts.append(render())
            continue
        key = content_cache.content_key(
            "block",
            page.pk,
            block_id,
            translation.get_language(),
            request.get_host() if request is not None else "",
        )
        parts.append(content_cache.cached(key, render))
    return format_html_join("", "{}", ((part,) for part in parts))
