"""Trainer views in the Wagtail admin: question form checks, import, attempts
(ModelViewSet), results and question statistics, regrading."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from training_platform.accounts.selectors import (
    learners_visible_to,
    scope_to_visible_learners,
)

from . import selectors, services
from .forms import ImportForm
from .models import (
    AssessmentPage,
    Attempt,
    AttemptGrade,
    AttemptSlot,
    Question,
    QuestionBank,
)

# ---------------------------------------------------------------- question form


def _live_rows(formset):
    if not formset.is_valid():
        return None
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class QuestionAdminForm(WagtailAdminModelForm):
    """Refuses a question that could not be answered correctly (no correct
    choice, no accepted answer with full credit, ...). Offers the banks the
    person may change (and the question's own)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bank = self.fields.get("bank")
        if bank is not None and self.for_user is not None:
            from courses.shared_materials import changeable_by

            allowed = changeable_by(self.for_user, QuestionBank)
            if self.instance.bank_id:
                allowed = allowed | QuestionBank.objects.filter(
                    pk=self.instance.bank_id
                )
            bank.queryset = allowed.distinct()

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        data = {"kind": kind, "answer": cleaned.get("correct_answer")}
        rows = {name: _live_rows(fs) for name, fs in self.formsets.items()}
        if any(value is None for value in rows.values()):
            return cleaned  # the inline forms show their own errors
        data["choices"] = [{"correct": bool(r.get("correct"))} for r in rows["choices"]]
        data["accepted"] = [
            {"credit": str(r.get("credit") or 0)} for r in rows["accepted_answers"]
        ]
        data["numeric"] = [
            {"credit": str(r.get("credit") or 0)} for r in rows["numeric_answers"]
        ]
        data["prompts"] = [r for r in rows["pairs"] if (r.get("prompt") or "").strip()]
        for problem in services.question_problems(data):
            self.add_error(None, problem)
        return cleaned


# ---------------------------------------------------------------- import


def import_questions(request):
    if not request.user.has_perm("assessments.add_question"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = services.questions_import(
            bank=data["bank"],
            text=data["text"],
            fmt=data["format"],
            language=data["language"],
            objective=data["objective"],
            tags=data["tag_list"],
            by=request.user,
        )
        if not result.problems:
            messages.success(
                request,
                _("%(count)s questions imported into %(bank)s.")
                % {"count": len(result.questions), "bank": data["bank"]},
            )
            return redirect("wagtailsnippets_assessments_question:list")
    return TemplateResponse(
        request,
        "assessments/admin/import.html",
        {"form": form, "result": result, "page_title": _("Import questions")},
    )


# ---------------------------------------------------------------- regrade


def regrade_question(request, pk):
    from courses.shared_materials import may

    question = get_object_or_404(Question, pk=pk)
    if not may(request.user, "change", question):
        raise PermissionDenied
    affected = (
        Attempt.objects.filter(slots__question=question, state="finished")
        .distinct()
        .count()
    )
    if request.method == "POST":
        summary = services.question_regrade(
            question=question, by=request.user, note=request.POST.get("note", "")
        )
        messages.success(
            request,
            _("%(attempts)s attempts regraded, %(changed)s grades changed.")
            % {"attempts": summary.attempts, "changed": summary.changed},
        )
        return redirect("wagtailsnippets_assessments_question:edit", pk)
    return TemplateResponse(
        request,
        "assessments/admin/regrade.html",
        {
            "question": question,
            "affected": affected,
            "version": question.current_version,
            "page_title": _("Regrade attempts"),
        },
    )


# ---------------------------------------------------------------- results


def results_index(request):
    if not request.user.has_perm("assessments.view_attempt"):
        raise PermissionDenied
    from courses.permissions import pages_of_own_courses

    pages = pages_of_own_courses(
        request.user, AssessmentPage.objects.all().order_by("path")
    )
    rows = []
    for page in pages:
        summary = selectors.attempts_summary(
            assessment_key=page.translation_key, viewer=request.user
        )
        rows.append({"page": page, **summary})
    return TemplateResponse(
        request,
        "assessments/admin/results_index.html",
        {"rows": rows, "page_title": _("Assessment results")},
    )


def assessment_statistics(request, page_id):
    if not request.user.has_perm("assessments.view_attempt"):
        raise PermissionDenied
    from courses.permissions import pages_of_own_courses

    from . import integration

    page = get_object_or_404(
        pages_of_own_courses(request.user, AssessmentPage.objects.all()), pk=page_id
    )

    course_key = integration.course_key_for(page)
    gain = None
    if course_key and page.kind in ("pretest", "posttest"):
        gain = selectors.knowledge_gain(
            course_key=course_key, users=learners_visible_to(request.user)
        )
    return TemplateResponse(
        request,
        "assessments/admin/statistics.html",
        {
            "assessment": page,
            "summary": selectors.attempts_summary(
                assessment_key=page.translation_key, viewer=request.user
            ),
            "questions": selectors.question_statistics(
                assessment_key=page.translation_key, viewer=request.user
            ),
            "gain": gain,
            "page_title": _("Statistics"),
        },
    )


# ---------------------------------------------------------------- attempts


class ScopedAttemptIndexView(IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("user", "page")
        return scope_to_visible_learners(
            self.request.user, queryset, course_path="course_key"
        )


class AttemptInspectView(InspectView):
    template_name = "assessments/admin/attempt_inspect.html"

    def get_object(self, queryset=None):
        attempts = scope_to_visible_learners(
            self.request.user,
            Attempt.objects.select_related("user", "page"),
            course_path="course_key",
        )
        return get_object_or_404(attempts, pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slots = AttemptSlot.objects.filter(attempt=self.object).select_related(
            "version", "graded_version", "question"
        )
        context["questions"] = [
            selectors.question_review(slot, selectors.FULL_REVIEW) for slot in slots
        ]
        context["grades"] = AttemptGrade.objects.filter(attempt=self.object)
        context["public_url"] = reverse("assessments:review", args=[self.object.pk])
        return context


class AttemptViewSet(ModelViewSet):
    model = Attempt
    icon = "tasks"
    menu_label = gettext_lazy("Attempts")
    add_to_admin_menu = False
    inspect_view_enabled = True
    inspect_view_class = AttemptInspectView
    index_view_class = ScopedAttemptIndexView
    copy_view_enabled = False
    list_display = [
        "user",
        "page",
        "number",
        "state",
        "percent",
        "passed",
        "started_at",
        "finished_at",
    ]
    list_filter = ["state", "kind", "passed", "page"]
    search_fields = ["user__email", "user__full_name"]
    ordering = ["-started_at"]
    inspect_view_fields = [
        "user",
        "page",
        "number",
        "state",
        "started_at",
        "deadline",
        "finished_at",
        "timed_out",
        "marks",
        "max_marks",
        "percent",
        "passed",
    ]
    form_fields = ["state"]
