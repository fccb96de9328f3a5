"""StreamField blocks of a lesson body. Each block has an icon, a template and a
description for trainers. ``H5PActivityBlock`` is a placeholder that the H5P app
replaces (the block name ``h5p`` in the lesson body and the class path stay)."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

LESSON_RICH_TEXT_FEATURES = [
    "h2",
    "h3",
    "h4",
    "bold",
    "italic",
    "ol",
    "ul",
    "link",
    "document-link",
    "blockquote",
]


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        max_length=250,
        help_text=_(
            "What the image shows, for people who cannot see it. Leave empty only "
            "when the image is decorative."
        ),
    )
    caption = blocks.CharBlock(
        label=_("caption"),
        required=False,
        max_length=300,
        help_text=_("Shown under the image."),
    )
    credit = blocks.CharBlock(
        label=_("credit"),
        required=False,
        max_length=150,
        help_text=_("Author or source of the image, if it must be credited."),
    )

    class Meta:
        icon = "image"
        label = _("Image with caption")
        description = _("An image with alternative text, a caption and a credit.")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("title"),
        max_length=200,
        help_text=_("Names the video for screen readers and in the transcript."),
    )
    video_file = DocumentChooserBlock(
        label=_("uploaded video"),
        required=False,
        help_text=_(
            "An MP4 or WebM file uploaded as a document. Keep it small: many "
            "learners watch on a phone over a slow connection."
        ),
    )
    embed = EmbedBlock(
        label=_("embedded video"),
        required=False,
        help_text=_("Or the address of a video on a video site (YouTube, Vimeo)."),
    )
    captions = DocumentChooserBlock(
        label=_("captions (WebVTT)"),
        required=False,
        help_text=_("A .vtt captions file for the uploaded video."),
    )
    captions_language = blocks.ChoiceBlock(
        label=_("captions language"),
        choices=[("en", "English"), ("ru", "Русский")],
        default="en",
        help_text=_("The language of the captions file."),
    )
    transcript = blocks.RichTextBlock(
        label=_("transcript"),
        required=False,
        features=["bold", "italic", "ol", "ul"],
        help_text=_(
            "The full text of what is said and shown. Learners on slow connections "
            "and learners who cannot hear read it instead."
        ),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        description = _("An uploaded or embedded video with captions and transcript.")
        template = "courses/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("video_file")) == bool(value.get("embed")):
            message = _("Choose either an uploaded video or an embedded one.")
            raise blocks.StructBlockValidationError(
                block_errors={"video_file": ErrorList([ValidationError(message)])}
            )
        return value


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("link text"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the document's title."),
    )
    description = blocks.TextBlock(
        label=_("description"),
        required=False,
        max_length=500,
        help_text=_("What the document is and when to use it."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        description = _("A document learners can download, with its size and type.")
        template = "courses/blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[
            ("note", _("Note")),
            ("warning", _("Warning")),
            ("case_study", _("Case study")),
        ],
        default="note",
        help_text=_(
            "A note adds context, a warning flags a risk, a case study tells a "
            "real or realistic situation."
        ),
    )
    title = blocks.CharBlock(
        label=_("title"), required=False, max_length=200, help_text=_("Optional.")
    )
    body = blocks.RichTextBlock(
        label=_("text"),
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("The text of the callout."),
    )

    class Meta:
        icon = "warning"
        label = _("Callout")
        description = _("A highlighted note, warning or case study.")
        template = "courses/blocks/callout.html"


class AccordionItemBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("heading"), max_length=200, help_text=_("Always visible.")
    )
    body = blocks.RichTextBlock(
        label=_("text"),
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("Shown when the learner opens the item."),
    )


class AccordionBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("title"), required=False, max_length=200, help_text=_("Optional.")
    )
    items = blocks.ListBlock(
        AccordionItemBlock(), label=_("items"), min_num=1, max_num=20
    )

    class Meta:
        icon = "list-ul"
        label = _("Accordion")
        description = _("Sections that open and close, for details and FAQs.")
        template = "courses/blocks/accordion.html"


class H5PActivityBlock(blocks.StructBlock):
    """Placeholder for the H5P activity block. The H5P app replaces this class
    (keeping its import path) with one that has ``activity_key(value)``."""

    title = blocks.CharBlock(
        label=_("title"),
        required=False,
        max_length=200,
        help_text=_("Shown above the activity."),
    )

    class Meta:
        icon = "pick"
        label = _("H5P activity")
        description = _("An interactive H5P activity.")
        template = "courses/blocks/h5p_placeholder.html"


class LessonBodyBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(
        label=_("Text"),
        features=LESSON_RICH_TEXT_FEATURES,
        icon="pilcrow",
        description=_("Headings, paragraphs, lists and links."),
        template="courses/blocks/rich_text.html",
    )
    image = ImageWithCaptionBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    accordion = AccordionBlock()
    h5p = H5PActivityBlock()
