"""Reads about courses, enrolments and progress. Every function here issues a
fixed number of queries, whatever the number of courses, lessons or learners."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from training_platform import content_cache
from training_platform.accounts import roles
from training_platform.accounts.selectors import scope_to_visible_learners

from .models import (
    CourseCompletion,
    CourseItemMixin,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    ItemProgress,
    Level,
    ModulePage,
    ProgressStatus,
)

CARD_IMAGE_SPEC = "fill-640x360|format-jpeg"
HERO_IMAGE_SPEC = "fill-960x540|format-jpeg"

DURATIONS = {
    # name: (more than, up to) hours
    "short": (None, Decimal("2")),
    "medium": (Decimal("2"), Decimal("5")),
    "long": (Decimal("5"), Decimal("10")),
    "very_long": (Decimal("10"), None),
}


def active_locale(locales=None):
    """The Wagtail locale of the active language (falls back to the default)."""
    code = translation.get_language() or "en"
    locales = locales or _locales()
    return (
        locales.get(code)
        or locales.get(code.split("-")[0])
        or next(iter(locales.values()))
    )


def _locales() -> dict:
    """Locales by language code (kept in the cache until a locale or page
    changes)."""
    return content_cache.cached(
        content_cache.content_key("locales"),
        lambda: {loc.language_code: loc for loc in Locale.objects.all()},
    )


def course_for_page(page) -> CoursePage | None:
    """The course a page belongs to (the page itself for a course page)."""
    if isinstance(page, CoursePage):
        return page
    cached = getattr(page, "_course_cache", None)
    if cached is not None:
        return cached
    if not page.pk:
        return CoursePage.objects.ancestor_of(page, inclusive=True).first()
    # The course is the same for every visitor: kept in the cache until a
    # page changes (training_platform.content_cache).
    found = content_cache.cached(
        content_cache.content_key("course-of", page.pk),
        lambda: [CoursePage.objects.ancestor_of(page, inclusive=True).first()],
    )
    page._course_cache = found[0]
    return found[0]


def course_for_enrolment(enrolment) -> CoursePage | None:
    """The page whose tree defines the enrolment's course (the page enrolled
    from, or another live translation when that page is gone)."""
    if enrolment.course_id:
        return enrolment.course
    return (
        CoursePage.objects.filter(translation_key=enrolment.course_key)
        .order_by("-live", "id")
        .first()
    )


def enrolment_for(*, user, course) -> Enrolment | None:
    """The learner's enrolment in ``course`` (any translation of it)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Enrolment.objects.current()
        .filter(user=user, course_key=course.translation_key)
        .first()
    )


def enrolment_for_request(*, request, course) -> Enrolment | None:
    """``enrolment_for`` read once per request: the serve guard, the pre-test
    gate and the page context share it."""
    return content_cache.request_memo(
        request,
        f"enrolment:{course.translation_key}",
        lambda: enrolment_for(user=request.user, course=course),
    )


@dataclass(frozen=True)
class ItemAccess:
    allowed: bool
    course: CoursePage | None = None
    enrolment: Enrolment | None = None


def course_item_access(*, user, page, request=None) -> ItemAccess:
    """The one rule for opening a course item (a lesson, an assessment) and
    the documents it uses: a live item with an open enrolment in its course,
    or the right to edit the item (editors' visits record nothing)."""
    course = course_for_page(page)
    if not getattr(user, "is_authenticated", False):
        return ItemAccess(allowed=False, course=course)
    enrolment = None
    if course is not None:
        enrolment = (
            enrolment_for_request(request=request, course=course)
            if request is not None
            else enrolment_for(user=user, course=course)
        )
    if page.live and enrolment is not None and enrolment.is_open:
        return ItemAccess(allowed=True, course=course, enrolment=enrolment)
    is_editor = roles.is_trainer(user) or roles.is_administrator(user)
    if is_editor and page.permissions_for_user(user).can_edit():
        return ItemAccess(allowed=True, course=course, enrolment=enrolment)
    return ItemAccess(allowed=False, course=course, enrolment=enrolment)


def courses_visible(*, locale=None):
    """Live, public course pages, in one locale or all."""
    queryset = CoursePage.objects.live().public()
    if locale is not None:
        queryset = queryset.filter(locale=locale)
    return queryset


def progress_by_item(*, enrolment) -> dict:
    """``{item_key: ItemProgress}`` for an enrolment."""
    if enrolment is None:
        return {}
    return {p.item_key: p for p in ItemProgress.objects.filter(enrolment=enrolment)}


def required_items(items) -> list:
    return [i for i in items if i.required_for_completion]


def percent_complete(items, progress: dict) -> int:
    required = required_items(items)
    if not required:
        return 0
    done = sum(
        1
        for item in required
        if (p := progress.get(item.translation_key)) is not None and p.is_completed
    )
    return int(done * 100 / len(required))


def course_enrolment_counts(*, course_key) -> dict:
    """Enrolled (active or completed), in progress (active with some progress),
    not started, completed and waiting for approval, all translations together."""
    enrolments = Enrolment.objects.current().filter(course_key=course_key)
    counts = enrolments.aggregate(
        enrolled=Count("id", filter=Q(status__in=["active", "completed"])),
        completed=Count("id", filter=Q(status="completed")),
        pending=Count("id", filter=Q(status="pending")),
        withdrawn=Count("id", filter=Q(status="withdrawn")),
        started=Count(
            "id",
            filter=Q(status="active")
            & (Q(progress_percent__gt=0) | Q(last_accessed_at__isnull=False)),
        ),
        active=Count("id", filter=Q(status="active")),
    )
    counts["in_progress"] = counts.pop("started")
    counts["not_started"] = counts.pop("active") - counts["in_progress"]
    return counts


# ------------------------------------------------------------------ outline


@dataclass
class OutlineItem:
    page: Page
    progress: ItemProgress | None = None
    current: bool = False

    @property
    def completed(self) -> bool:
        return self.progress is not None and self.progress.is_completed

    @property
    def started(self) -> bool:
        return self.progress is not None and not self.completed


@dataclass
class OutlineModule:
    page: ModulePage
    items: list = field(default_factory=list)
    current: bool = False

    @property
    def completed_count(self) -> int:
        return sum(1 for i in self.items if i.completed)


@dataclass
class CourseOutline:
    course: CoursePage
    modules: list
    items: list  # OutlineItem, tree order
    enrolment: Enrolment | None
    percent: int

    def neighbours(self, page):
        keys = [i.page.pk for i in self.items]
        if page.pk not in keys:
            return None, None
        index = keys.index(page.pk)
        previous = self.items[index - 1].page if index > 0 else None
        following = self.items[index + 1].page if index + 1 < len(keys) else None
        return previous, following

    @property
    def next_item(self):
        """Where the learner should continue: after the last opened item if it
        is done, else that item; else the first item not completed."""
        enrolment = self.enrolment
        if enrolment is not None and enrolment.last_page_id:
            last = [
                i
                for i in self.items
                if i.page.translation_key == enrolment.last_page_key
            ]
            if last:
                position = self.items.index(last[0])
                if not last[0].completed:
                    return last[0].page
                for item in self.items[position + 1 :]:
                    if not item.completed:
                        return item.page
        for item in self.items:
            if not item.completed:
                return item.page
        return None


_UNSET = object()


def outline_pages(course) -> tuple[list, list]:
    """The course's live modules and its items (``get_course_items``), as
    pages without their StreamField bodies. The same for every learner, so
    kept in the cache until a page changes; never holds anyone's progress."""

    def build():
        modules = list(
            course.get_children()
            .live()
            .type(ModulePage)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
        items = course.get_course_items()
        for page in (*modules, *items):
            # The address is the same for everyone: worked out once here
            # rather than by ``pageurl`` for every link of every view. Pages
            # of one course share its site: the path alone is the link.
            parts = page.get_url_parts()
            page.outline_url = parts[2] if parts else None
        return modules, items

    if not course.pk:
        return build()
    return content_cache.cached(content_cache.content_key("outline", course.pk), build)


def _last_page_key(enrolment, items):
    """The translation key of the learner's last opened page: usually an
    item of this outline; a page of another language costs a query."""
    if not enrolment.last_page_id:
        return None
    for item in items:
        if item.pk == enrolment.last_page_id:
            return item.translation_key
    return (
        Page.objects.filter(pk=enrolment.last_page_id)
        .values_list("translation_key", flat=True)
        .first()
    )


def course_outline(
    *, course, user, current_page=None, enrolment=_UNSET, progress=None
) -> CourseOutline:
    """Modules and items of ``course`` with the learner's progress and ticks.
    Callers that already hold the enrolment and its progress pass them."""
    if enrolment is _UNSET:
        enrolment = (
            Enrolment.objects.current()
            .filter(user=user, course_key=course.translation_key)
            .first()
            if getattr(user, "is_authenticated", False)
            else None
        )
    if progress is None:
        progress = progress_by_item(enrolment=enrolment)
    modules, items = outline_pages(course)
    if enrolment is not None:
        enrolment.last_page_key = _last_page_key(enrolment, items)
    outline_modules = [
        OutlineModule(
            page=m,
            current=current_page is not None and current_page.path.startswith(m.path),
        )
        for m in modules
    ]
    outline_items = []
    for item in items:
        entry = OutlineItem(
            page=item,
            progress=progress.get(item.translation_key),
            current=current_page is not None and item.pk == current_page.pk,
        )
        outline_items.append(entry)
        for module in outline_modules:
            if item.path.startswith(module.page.path):
                module.items.append(entry)
                break
    return CourseOutline(
        course=course,
        modules=outline_modules,
        items=outline_items,
        enrolment=enrolment,
        percent=percent_complete(items, progress),
    )


# ------------------------------------------------------------ course page


def course_page_extras(course, request=None) -> dict:
    """What the course page shows around the course itself, the same for
    every visitor: the catalogue's URL, the topics, the prerequisites' keys
    and the cover image's rendition (kept in the cache until a page changes)."""
    from wagtail.models import Page as BasePage

    def build():
        parent = BasePage.objects.filter(
            path=course.path[: -course.steplen], depth=course.depth - 1
        ).first()
        hero = None
        if course.cover_image_id:
            image = get_image_model().objects.filter(pk=course.cover_image_id).first()
            if image is not None:
                rendition = image.get_rendition(HERO_IMAGE_SPEC)
                hero = {
                    "url": rendition.url,
                    "width": rendition.width,
                    "height": rendition.height,
                }
        return {
            "parent_url": parent.get_url(request) if parent is not None else "",
            "topics": [tag.name for tag in course.topics.all()],
            "prerequisite_keys": [
                p.translation_key for p in course.prerequisites.all()
            ],
            "hero": hero,
        }

    if getattr(request, "is_preview", False) or not course.pk:
        return build()  # a trainer's preview shows the draft's own values
    host = request.get_host() if request is not None else ""
    return content_cache.cached(
        content_cache.content_key("course-extras", course.pk, host), build
    )


# ------------------------------------------------------------ prerequisites


@dataclass
class Prerequisite:
    page: CoursePage
    met: bool


def prerequisites_status(*, course, user) -> list[Prerequisite]:
    """The course's prerequisites in the active language where translated, and
    whether ``user`` has completed each (in any language)."""
    keys = [
        key
        for key in course_page_extras(course)["prerequisite_keys"]
        if key != course.translation_key
    ]
    if not keys:
        return []
    locale = active_locale()
    pages = {}
    for page in CoursePage.objects.filter(translation_key__in=keys).order_by("id"):
        if page.translation_key not in pages or page.locale_id == locale.pk:
            pages[page.translation_key] = page
    completed = set()
    if getattr(user, "is_authenticated", False):
        completed = set(
            Enrolment.objects.filter(
                user=user, course_key__in=keys, status=EnrolmentStatus.COMPLETED
            ).values_list("course_key", flat=True)
        )
    return [
        Prerequisite(page=pages[key], met=key in completed)
        for key in keys
        if key in pages
    ]


def unmet_prerequisites(*, course, user) -> list:
    return [p.page for p in prerequisites_status(course=course, user=user) if not p.met]


# ---------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class CourseCardData:
    """What a catalogue card shows of a course: plain values, the same for
    every visitor (kept in the cache; no model instances, no lookups when
    rendered)."""

    pk: int
    translation_key: object
    title: str
    url: str
    summary: str
    estimated_hours: Decimal | None
    level: str
    image: dict | None  # the card rendition: url, width, height

    @property
    def level_label(self):
        try:
            return Level(self.level).label
        except ValueError:
            return self.level


@dataclass
class CatalogueCard:
    page: CourseCardData
    languages: list
    enrolment: Enrolment | None


def catalogue_entries(
    *,
    user,
    locale,
    query="",
    topic="",
    language="",
    level="",
    duration="",
    request=None,
) -> list[CatalogueCard]:
    """One card per course (translations together), in the active language
    where the course is translated, filtered and ordered by title. The cards
    are the same for everyone (kept in the cache until a page changes, their
    cover renditions made when the entry is built); the learner's enrolments
    are read for each request, in one query."""
    host = request.get_host() if request is not None else ""
    key = content_cache.content_key(
        "catalogue-cards", locale.pk, host, query, topic, language, level, duration
    )
    cards = content_cache.cached(
        key,
        lambda: _catalogue_cards(
            request=request,
            locale=locale,
            query=query,
            topic=topic,
            language=language,
            level=level,
            duration=duration,
        ),
    )
    enrolments = {}
    if getattr(user, "is_authenticated", False) and cards:
        enrolments = {
            e.course_key: e
            for e in Enrolment.objects.current().filter(
                user=user, course_key__in=[c.translation_key for c, _ in cards]
            )
        }
    return [
        CatalogueCard(
            page=card,
            languages=languages,
            enrolment=enrolments.get(card.translation_key),
        )
        for card, languages in cards
    ]


def _card_image(image) -> dict | None:
    """The card rendition of a cover image (made here when missing), or None
    when the original cannot be read."""
    from wagtail.images.models import SourceImageIOError

    if image is None:
        return None
    try:
        rendition = image.get_rendition(CARD_IMAGE_SPEC)
    except SourceImageIOError:
        return None
    return {"url": rendition.url, "width": rendition.width, "height": rendition.height}


def _catalogue_cards(*, request, **filters) -> list:
    pages, languages = _catalogue_pages(**filters)
    return [
        (
            CourseCardData(
                pk=page.pk,
                translation_key=page.translation_key,
                title=page.title,
                url=page.get_url(request) or "",
                summary=page.summary,
                estimated_hours=page.estimated_hours,
                level=page.level,
                image=_card_image(page.cover_image),
            ),
            languages[page.translation_key],
        )
        for page in pages
    ]


def _catalogue_pages(*, locale, query, topic, language, level, duration):
    base = courses_visible()
    rows = list(base.values_list("id", "translation_key", "locale_id"))
    locales = {loc.pk: loc for loc in _locales().values()}
    chosen: dict = {}
    languages = defaultdict(set)
    for page_id, key, locale_id in sorted(rows):
        languages[key].add(locales[locale_id].language_code)
        if key not in chosen or locale_id == locale.pk:
            chosen[key] = (page_id, locale_id)
    keys = set(chosen)
    if query:
        matched = CoursePage.objects.live().search(query, operator="and")
        keys &= {page.translation_key for page in matched}
    if language:
        keys = {k for k in keys if language in languages[k]}
    queryset = CoursePage.objects.filter(id__in=[chosen[k][0] for k in keys])
    if level:
        queryset = queryset.filter(level=level)
    if topic:
        queryset = queryset.filter(topics__slug=topic)
    if duration in DURATIONS:
        above, up_to = DURATIONS[duration]
        if above is not None:
            queryset = queryset.filter(estimated_hours__gt=above)
        if up_to is not None:
            queryset = queryset.filter(estimated_hours__lte=up_to)
    pages = list(
        queryset.distinct()
        .select_related("locale")
        .prefetch_related(
            "topics",
            Prefetch(
                "cover_image",
                queryset=get_image_model().objects.prefetch_renditions(CARD_IMAGE_SPEC),
            ),
        )
        .order_by("title")
    )
    return pages, {
        page.translation_key: sorted(languages[page.translation_key]) for page in pages
    }


def catalogue_topics(*, locale) -> list:
    """Topics used by live courses in ``locale``: (slug, name) sorted by name
    (kept in the cache until a page changes)."""
    return content_cache.cached(
        content_cache.content_key("catalogue-topics", locale.pk),
        lambda: _catalogue_topics(locale=locale),
    )


def _catalogue_topics(*, locale) -> list:
    from taggit.models import Tag

    tags = (
        Tag.objects.filter(
            courses_coursetopic_items__content_object__in=courses_visible(locale=locale)
        )
        .distinct()
        .order_by("name")
    )
    return [(t.slug, t.name) for t in tags]


# ---------------------------------------------------------------- dashboard


@dataclass(frozen=True)
class DashboardCourse:
    """A course as "My learning" links it: the same for every learner."""

    title: str
    url: str


@dataclass
class DashboardEntry:
    enrolment: Enrolment
    course: DashboardCourse | None
    continue_url: str | None


def _dashboard_pages(*, course_keys, last_page_ids, locale, request) -> dict:
    """Titles and links of the courses and of the last opened pages, in the
    active language where translated: ``{"courses": {key: DashboardCourse},
    "last": {page id: url}}``. Depends only on the keys and the content."""
    courses = {}
    for page in (
        CoursePage.objects.live().filter(translation_key__in=course_keys).order_by("id")
    ):
        if page.translation_key not in courses or page.locale_id == locale.pk:
            courses[page.translation_key] = page
    opened = dict(
        Page.objects.filter(pk__in=last_page_ids).values_list("pk", "translation_key")
    )
    translations = {}
    for page in (
        Page.objects.live()
        .filter(translation_key__in=set(opened.values()))
        .order_by("id")
    ):
        if page.translation_key not in translations or page.locale_id == locale.pk:
            translations[page.translation_key] = page
    last = {}
    for page_id, key in opened.items():
        if key in translations:
            last[page_id] = translations[key].get_url(request)
    return {
        "courses": {
            str(key): DashboardCourse(title=page.title, url=page.get_url(request) or "")
            for key, page in courses.items()
        },
        "last": last,
    }


def learner_dashboard(*, user, request=None) -> dict:
    """The learner's enrolments for "My learning", each with the course in the
    active language when translated and where to continue. The enrolments are
    read for each request (one query); the courses' titles and links are the
    same for everyone and kept in the cache until a page changes."""
    enrolments = list(
        Enrolment.objects.current()
        .filter(user=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("completion")
        .order_by("-last_accessed_at", "-enrolled_at")
    )
    if not enrolments:
        return {"in_progress": [], "pending": [], "completed": []}
    locale = active_locale()
    course_keys = sorted({str(e.course_key) for e in enrolments})
    last_page_ids = sorted({e.last_page_id for e in enrolments if e.last_page_id})
    host = request.get_host() if request is not None else ""
    digest = hashlib.sha256(
        ",".join([*course_keys, "|", *map(str, last_page_ids)]).encode()
    ).hexdigest()
    pages = content_cache.cached(
        content_cache.content_key("dashboard-pages", locale.pk, host, digest),
        lambda: _dashboard_pages(
            course_keys=course_keys,
            last_page_ids=last_page_ids,
            locale=locale,
            request=request,
        ),
    )
    groups = {"in_progress": [], "pending": [], "completed": []}
    for enrolment in enrolments:
        course = pages["courses"].get(str(enrolment.course_key))
        continue_url = None
        if course is not None:
            continue_url = course.url
            if enrolment.last_page_id and enrolment.status == EnrolmentStatus.ACTIVE:
                continue_url = pages["last"].get(enrolment.last_page_id) or course.url
        entry = DashboardEntry(
            enrolment=enrolment, course=course, continue_url=continue_url
        )
        if enrolment.status == EnrolmentStatus.COMPLETED:
            groups["completed"].append(entry)
        elif enrolment.status == EnrolmentStatus.PENDING:
            groups["pending"].append(entry)
        else:
            groups["in_progress"].append(entry)
    return groups


# ---------------------------------------------------------------- coordinators


def enrolments_visible_to(viewer):
    """Enrolments of the learners ``viewer`` may see (the accounts scoping
    function decides who)."""
    return scope_to_visible_learners(
        viewer, Enrolment.objects.all(), course_path="course_key"
    )


def pending_enrolments_for(viewer):
    return (
        enrolments_visible_to(viewer)
        .filter(status=EnrolmentStatus.PENDING)
        .select_related("user", "user__country", "user__organisation", "course")
        .order_by("enrolled_at")
    )


def new_round_refusal(enrolment) -> str | None:
    """Why the learner cannot take this completed course again yet (the
    message of the first app that says so), or None when they can."""
    from .signals import new_round_checks

    for check in list(new_round_checks):
        message = check(enrolment)
        if message:
            return message
    return None


def completion_for(enrolment) -> CourseCompletion | None:
    return CourseCompletion.objects.filter(enrolment=enrolment).first()


def item_is_satisfied(item: CourseItemMixin, progress: ItemProgress | None) -> bool:
    """Whether one item counts towards completion: completed, and when it must
    be passed, passed as graded by the server (a browser's claim never counts)."""
    if progress is None or progress.status != ProgressStatus.COMPLETED:
        return False
    if item.completion_requires_pass():
        return bool(progress.passed) and progress.source == "server"
    return True
