"""Who may edit which course. A course has owners and co-editors
(``CourseEditor``, keyed by the course's ``translation_key`` so that one
team edits every language of it). Wagtail's group permissions on the
catalogue let trainers create courses; on the pages of a course (the course,
its modules and their items) a trainer who is not on its team keeps only
what a reader has: no edit, publish, add, move, copy, lock or delete.
Administrators and superusers are not limited. Course-level admin views
(copy, outline import, results) ask the same questions through
``can_edit_course``."""

from wagtail.models import PagePermissionTester

from training_platform.accounts import roles


def team_limited(user) -> bool:
    """Trainers who are not administrators are limited to their courses."""
    return (
        getattr(user, "is_authenticated", False)
        and roles.is_trainer(user)
        and not roles.is_administrator(user)
    )


def remembered(user, name, compute):
    """``compute()``, remembered on the user object for the request."""
    value = getattr(user, name, None)
    if value is None:
        value = compute()
        setattr(user, name, value)
    return value


def course_keys_editable_by(user) -> frozenset:
    """The keys of the courses ``user`` is on the team of."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()

    def compute():
        from .models import CourseEditor

        return frozenset(
            CourseEditor.objects.filter(user=user).values_list("course_key", flat=True)
        )

    return remembered(user, "_course_keys_editable", compute)


def course_paths_editable_by(user) -> tuple:
    """The tree paths of those courses' pages, in every language."""

    def compute():
        from .models import CoursePage

        return tuple(
            CoursePage.objects.filter(
                translation_key__in=course_keys_editable_by(user)
            ).values_list("path", flat=True)
        )

    return remembered(user, "_course_paths_editable", compute)


def course_key_of(page):
    """The key of the course ``page`` belongs to (the course itself or one
    of its modules and items)."""
    from .models import CoursePage

    if isinstance(page, CoursePage):
        return page.translation_key
    steps = len(page.path) // page.steplen
    prefixes = [page.path[: n * page.steplen] for n in range(1, steps + 1)]
    return (
        CoursePage.objects.filter(path__in=prefixes)
        .values_list("translation_key", flat=True)
        .first()
    )


def forget_course_teams(user) -> None:
    """Drop what ``course_keys_editable_by`` remembered on ``user``."""
    user.pk  # noqa: B018  (a request's lazy user: set it up, then reach it)
    user = getattr(user, "_wrapped", user)
    for name in (
        "_course_keys_editable",
        "_course_paths_editable",
        "_co_editor_ids",
        "_review_paths",
    ):
        user.__dict__.pop(name, None)


def can_edit_course(user, course) -> bool:
    """May ``user`` edit ``course`` (a course page or its key)? Everybody
    with the Wagtail permission may, except trainers who are not on the
    course's team."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    key = getattr(course, "translation_key", course)
    if team_limited(user):
        return key in course_keys_editable_by(user)
    return roles.is_administrator(user) or roles.is_trainer(user)


def can_manage_team(user, course) -> bool:
    """Administrators and the course's owners choose its team."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if roles.is_administrator(user):
        return True
    from .models import CourseEditor, CourseRole

    key = getattr(course, "translation_key", course)
    return CourseEditor.objects.filter(
        course_key=key, user=user, role=CourseRole.OWNER
    ).exists()


class CoursePagePermissionTester(PagePermissionTester):
    """Wagtail's tester, with a trainer's page permissions dropped on the
    pages of courses they are not on the team of."""

    def __init__(self, user, page):
        super().__init__(user, page)
        if not user.is_active or user.is_superuser:
            # Wagtail's tester answers for them without a permission set.
            return
        if team_limited(user) and not any(
            page.path.startswith(path) for path in course_paths_editable_by(user)
        ):
            self.permissions = set()
        elif "publish" in self.permissions:
            from .review import publishes_after_review

            if publishes_after_review(user, page):
                # Changes go through the course's review workflow.
                self.permissions.discard("publish")


class CourseTeamPermissionsMixin:
    """For the page models of a course's tree."""

    def permissions_for_user(self, user):
        return CoursePagePermissionTester(user, self)


def pages_of_own_courses(user, queryset):
    """Limit a queryset of pages to those in the courses ``user`` may edit,
    for trainers who are limited to their courses; unchanged otherwise."""
    from django.db.models import Q

    if not team_limited(user):
        return queryset
    paths = course_paths_editable_by(user)
    if not paths:
        return queryset.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return queryset.filter(condition)
