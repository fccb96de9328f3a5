"""Demo course for ``seed_demo``: "Identifying and referring victims of
trafficking" (3 modules, 9 lessons) in English and Russian, images drawn with
Pillow, and the demo learner part-way through. Safe to run again."""

import io
import math

from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale

from training_platform.accounts import roles

from . import demo_content as content
from . import services
from .factories import course_index
from .models import CoursePage, LessonPage, ModulePage

PALETTE = {
    "navy": (10, 77, 140),
    "teal": (22, 128, 118),
    "orange": (179, 71, 0),
    "green": (29, 107, 52),
    "sand": (243, 245, 248),
    "ink": (27, 31, 36),
    "white": (255, 255, 255),
}


def _font(size):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType
        return ImageFont.load_default()


def _draw(name):
    """A language-neutral illustration (numbers and shapes only)."""
    from PIL import Image, ImageDraw

    width, height = 1280, 720
    image = Image.new("RGB", (width, height), PALETTE["sand"])
    draw = ImageDraw.Draw(image)
    if name == "cover":
        image.paste(PALETTE["navy"], (0, 0, width, height))
        for i in range(9):
            x = 120 + i * 130
            draw.ellipse((x, 420, x + 90, 510), fill=PALETTE["teal"])
            draw.rounded_rectangle(
                (x - 5, 520, x + 95, 690), radius=30, fill=PALETTE["teal"]
            )
        draw.rounded_rectangle(
            (860, 120, 1180, 330), radius=24, outline=PALETTE["white"], width=10
        )
        draw.line((900, 190, 1140, 190), fill=PALETTE["white"], width=10)
        draw.line((900, 250, 1080, 250), fill=PALETTE["white"], width=10)
        draw.polygon(
            [(110, 330), (240, 120), (370, 330)], outline=PALETTE["orange"], width=14
        )
        draw.line((240, 180, 240, 270), fill=PALETTE["orange"], width=14)
        draw.ellipse((230, 290, 250, 310), fill=PALETTE["orange"])
    elif name == "elements":
        colours = [PALETTE["navy"], PALETTE["teal"], PALETTE["orange"]]
        for i, colour in enumerate(colours):
            cx = 250 + i * 390
            draw.ellipse((cx - 170, 190, cx + 170, 530), fill=colour)
            draw.text(
                (cx, 360),
                str(i + 1),
                fill=PALETTE["white"],
                font=_font(150),
                anchor="mm",
            )
            if i < 2:
                draw.polygon(
                    [(cx + 180, 330), (cx + 215, 360), (cx + 180, 390)],
                    fill=PALETTE["ink"],
                )
    elif name == "sectors":
        values = [62, 48, 21, 14, 9]
        colours = [
            PALETTE["orange"],
            PALETTE["navy"],
            PALETTE["teal"],
            PALETTE["green"],
            PALETTE["ink"],
        ]
        for i, (value, colour) in enumerate(zip(values, colours, strict=True)):
            y = 110 + i * 110
            draw.rectangle((120, y, 120 + value * 16, y + 70), fill=colour)
            draw.text(
                (140 + value * 16, y + 35),
                f"{value}",
                fill=PALETTE["ink"],
                font=_font(44),
                anchor="lm",
            )
        draw.line((118, 90, 118, 660), fill=PALETTE["ink"], width=4)
    elif name == "indicators":
        symbols = ["!", "€", "⌂", "✋", "?", "⚑"]
        for i in range(6):
            col, row = i % 3, i // 3
            x, y = 120 + col * 370, 90 + row * 300
            draw.rounded_rectangle(
                (x, y, x + 300, y + 250), radius=28, fill=PALETTE["white"]
            )
            draw.rounded_rectangle(
                (x, y, x + 300, y + 250), radius=28, outline=PALETTE["orange"], width=6
            )
            draw.ellipse((x + 90, y + 45, x + 210, y + 165), fill=PALETTE["orange"])
            draw.text(
                (x + 150, y + 105),
                symbols[i] if symbols[i].isascii() else "!",
                fill=PALETTE["white"],
                font=_font(80),
                anchor="mm",
            )
            draw.line((x + 60, y + 205, x + 240, y + 205), fill=PALETTE["ink"], width=8)
    elif name == "referral":
        for i in range(5):
            angle = math.pi + i * math.pi / 4
            cx = 640 + int(470 * math.cos(angle))
            cy = 600 + int(470 * math.sin(angle))
            draw.ellipse(
                (cx - 85, cy - 85, cx + 85, cy + 85),
                fill=[
                    PALETTE["navy"],
                    PALETTE["teal"],
                    PALETTE["orange"],
                    PALETTE["green"],
                    PALETTE["navy"],
                ][i],
            )
            draw.text(
                (cx, cy), str(i + 1), fill=PALETTE["white"], font=_font(90), anchor="mm"
            )
        draw.arc((170, 130, 1110, 1070), 190, 350, fill=PALETTE["ink"], width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _collection():
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name="Course images").first()
    return existing or root.add_child(name="Course images")


def _image(name, collection):
    Image = get_image_model()
    title = f"Demo: {name}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title, collection=collection)
        image.file = ImageFile(io.BytesIO(_draw(name)), name=f"demo-{name}.png")
        image.description = content.IMAGES[name]["en"]
        image.save()
    return image


def _document(collection):
    Document = get_document_model()
    title = content.CHECKLIST["title_en"]
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title, collection=collection)
        document.file = SimpleUploadedFile(
            "indicators-checklist.txt",
            content.CHECKLIST["text"].encode(),
            content_type="text/plain",
        )
        document.save()
    return document


def _body(blocks, language, images, document):
    body = []
    for kind, value in blocks:
        if kind == "rich_text":
            body.append(("rich_text", value))
        elif kind == "image":
            name = value.split(":", 1)[1]
            meta = content.IMAGES[name]
            body.append(
                (
                    "image",
                    {
                        "image": images[name],
                        "alt_text": meta[language],
                        "caption": meta.get(f"caption_{language}", ""),
                        "credit": "",
                    },
                )
            )
        elif kind == "document":
            body.append(
                (
                    "document",
                    {
                        "document": document,
                        "title": content.CHECKLIST[f"title_{language}"],
                        "description": content.CHECKLIST[f"description_{language}"],
                    },
                )
            )
        elif kind == "callout":
            callout_kind, title, text = value
            body.append(
                ("callout", {"kind": callout_kind, "title": title, "body": text})
            )
        elif kind == "accordion":
            title, items = value
            body.append(
                (
                    "accordion",
                    {
                        "title": title,
                        "items": [{"heading": h, "body": b} for h, b in items],
                    },
                )
            )
    return body


def _publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page.specific


def _build_english(index, images, document):
    data = content.COURSE
    course = CoursePage(
        title=data["en"]["title"],
        slug=data["slug"],
        summary=data["en"]["summary"],
        objectives=data["en"]["objectives"],
        audience=data["en"]["audience"],
        estimated_hours=data["hours"],
        level=data["level"],
        cover_image=images["cover"],
        locale=index.locale,
    )
    index.add_child(instance=course)
    course.topics.add(*data["topics"]["en"])
    course = _publish(course)
    for module_data in content.MODULES:
        module = ModulePage(
            title=module_data["en"]["title"],
            slug=module_data["slug"],
            summary=module_data["en"]["summary"],
            locale=index.locale,
        )
        course.add_child(instance=module)
        module = _publish(module)
        for slug in module_data["lessons"]:
            lesson_data = content.LESSONS[slug]
            lesson = LessonPage(
                title=lesson_data["en"]["title"],
                slug=slug,
                summary=lesson_data["en"]["summary"],
                estimated_minutes=lesson_data["minutes"],
                completion_mode=lesson_data["mode"],
                body=_body(lesson_data["en"]["body"], "en", images, document),
                locale=index.locale,
            )
            module.add_child(instance=lesson)
            _publish(lesson)
    return course


def _translate(page, russian, **fields):
    existing = page.get_translation_or_none(russian)
    if existing is not None:
        return existing.specific
    copy = page.specific.copy_for_translation(russian)
    for name, value in fields.items():
        setattr(copy, name, value)
    return _publish(copy)


def _build_russian(course, images, document):
    russian = Locale.objects.get(language_code="ru")
    data = content.COURSE["ru"]
    course_ru = _translate(
        course,
        russian,
        title=data["title"],
        summary=data["summary"],
        objectives=data["objectives"],
        audience=data["audience"],
    )
    russian_topics = content.COURSE["topics"]["ru"]
    if {t.name for t in course_ru.topics.all()} != set(russian_topics):
        # The translation starts with the English topics; give it its own.
        course_ru.topics.set(russian_topics)
        course_ru = _publish(course_ru)
    modules = {m.slug: m.specific for m in course.get_children()}
    for module_data in content.MODULES:
        module = modules[module_data["slug"]]
        _translate(
            module,
            russian,
            title=module_data["ru"]["title"],
            summary=module_data["ru"]["summary"],
        )
        for lesson in module.get_children().type(LessonPage).specific():
            lesson_data = content.LESSONS[lesson.slug]["ru"]
            _translate(
                lesson,
                russian,
                title=lesson_data["title"],
                summary=lesson_data["summary"],
                body=_body(lesson_data["body"], "ru", images, document),
            )
    return course_ru


def seed(context):
    index = course_index("en")
    collection = _collection()
    images = {name: _image(name, collection) for name in content.IMAGES}
    document = _document(collection)
    course = (
        CoursePage.objects.child_of(index).filter(slug=content.COURSE["slug"]).first()
    )
    course = course.specific if course else _build_english(index, images, document)
    _build_russian(course, images, document)
    context.objects["demo_course"] = course
    trainer = context.users.get(roles.TRAINERS)
    if trainer is not None:
        # The demo trainer owns the demo course (in both its languages).
        services.course_owner_set_up(course=course, by=trainer)

    learner = context.users.get(roles.LEARNERS)
    if learner is None:
        return
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    items = course.get_course_items()
    # Part-way: the first module done, the first lesson of the second opened.
    for item in items[:3]:
        services.item_progress_record(user=learner, page=item, completed=True)
    if len(items) > 3:
        services.item_progress_record(user=learner, page=items[3], completed=False)
    enrolment.refresh_from_db()
    context.notes.append(
        f"Demo course: {course.title} ({enrolment.progress_percent}% done by "
        f"{learner.email})"
    )
