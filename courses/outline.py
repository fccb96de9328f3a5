"""Starting a course from the training plan trainers already write in a
spreadsheet: one row per lesson (module, lesson, minutes, text), read through
the shared bulk-file reader (``courses.bulk.read_rows``), checked row by row,
then created as draft modules and lessons under the course, all or nothing."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import bulk

MAX_TITLE = 255
MAX_MINUTES = 32767
HEADERS = {
    "module": ("module", "модуль", gettext_lazy("module")),
    "lesson": ("lesson", "урок", gettext_lazy("lesson")),
    "minutes": (
        "minutes",
        "duration",
        "duration (minutes)",
        "минуты",
        "продолжительность",
        gettext_lazy("estimated minutes"),
    ),
    "text": ("text", "body", "content", "текст", gettext_lazy("body")),
}


@dataclass
class OutlineRow:
    line: int
    module: str
    lesson: str = ""
    minutes: int | None = None
    text: str = ""
    errors: list = field(default_factory=list)


def read_outline(uploaded) -> list[OutlineRow]:
    """The rows of an uploaded outline, each with its errors. Raises
    ``bulk.BulkFileError`` when the file cannot be read at all."""
    rows = bulk.read_rows(
        uploaded,
        headers=HEADERS,
        multiline=("text",),
        header_message=_(
            "The first row must name the columns: module, lesson, minutes, text."
        ),
    )
    outline = []
    current_module = ""
    for row in rows:
        module = (row.get("module") or "").strip() or current_module
        item = OutlineRow(
            line=row["line"],
            module=module,
            lesson=(row.get("lesson") or "").strip(),
            text=(row.get("text") or "").strip(),
        )
        if not module:
            item.errors.append(_("Name the module (the first rows need one)."))
        for value in (item.module, item.lesson):
            if len(value) > MAX_TITLE:
                item.errors.append(
                    _("A title is longer than %(max)s characters.") % {"max": MAX_TITLE}
                )
        minutes = (row.get("minutes") or "").strip()
        if minutes:
            try:
                item.minutes = int(float(minutes.replace(",", ".")))
            except ValueError:
                item.errors.append(_("The minutes must be a number."))
            else:
                if not 0 < item.minutes <= MAX_MINUTES:
                    item.errors.append(_("The minutes must be between 1 and 32767."))
        if (item.minutes or item.text) and not item.lesson:
            item.errors.append(_("Minutes or text without a lesson title."))
        current_module = module
        outline.append(item)
    return outline


def text_to_rich_text(text: str) -> str:
    """Plain text from a spreadsheet cell as rich text: a paragraph per block
    of lines, lines starting with "-", "•" or "*" as a list. Nothing in the
    cell is taken as HTML."""
    html = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        paragraph, items = [], []
        for line in [*lines, None]:
            is_item = line is not None and line[:1] in "-•*"
            if not is_item and items:
                html.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
                items = []
            if is_item and paragraph:
                html.append("<p>" + "<br/>".join(paragraph) + "</p>")
                paragraph = []
            if line is None:
                break
            if is_item:
                items.append(escape(line[1:].strip()))
            else:
                paragraph.append(escape(line))
        if paragraph:
            html.append("<p>" + "<br/>".join(paragraph) + "</p>")
    return "".join(html)


def _unique_slug(parent, title):
    base = slugify(title, allow_unicode=True)[:200] or "page"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def outline_apply(*, course, rows: list[OutlineRow], by) -> dict:
    """Create the outline's modules (new ones after the course's own; a module
    of the same title is reused) and lessons under ``course``, as drafts with
    a first revision by ``by``. Refused (nothing created) while a row has
    errors. Returns how many modules and lessons were created."""
    from .models import LessonPage, ModulePage

    if any(row.errors for row in rows):
        raise ValueError("the outline has errors")
    created = {"modules": 0, "lessons": 0}
    with transaction.atomic():
        modules = {
            page.title.casefold(): page
            for page in ModulePage.objects.child_of(course).order_by("path")
        }
        for row in rows:
            module = modules.get(row.module.casefold())
            if module is None:
                module = course.add_child(
                    instance=ModulePage(
                        title=row.module,
                        slug=_unique_slug(course, row.module),
                        live=False,
                        owner=by,
                    )
                )
                module.save_revision(user=by)
                modules[row.module.casefold()] = module
                created["modules"] += 1
            if not row.lesson:
                continue
            body = [("rich_text", text_to_rich_text(row.text))] if row.text else []
            fields = {"estimated_minutes": row.minutes} if row.minutes else {}
            lesson = module.add_child(
                instance=LessonPage(
                    title=row.lesson,
                    slug=_unique_slug(module, row.lesson),
                    body=body,
                    live=False,
                    owner=by,
                    **fields,
                )
            )
            lesson.save_revision(user=by)
            created["lessons"] += 1
    return created
