"""A trainer's teaching materials (question banks, questions, H5P
activities, certificate templates) are shared with the people they edit
courses with: whoever is on a course team with their creator may change or
delete them; other trainers may read and use them (choose them in their own
lessons, copy them) but not change them. Administrators change everything;
materials from before creators were recorded stay open to every trainer.

One permission policy (``SharedWithCoEditorsPolicy``) registered for each of
these models, and edit and delete views that ask it about the object, not
only about the model (``SharedMaterialsMixin`` on the snippet viewsets)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import DeleteView, EditView, IndexView

from .permissions import course_keys_editable_by, remembered, team_limited

GUARDED = ("change", "delete")


def co_editor_ids(user) -> frozenset:
    """``user`` and everybody on a course team with them."""

    def compute():
        from .models import CourseEditor

        return frozenset(
            CourseEditor.objects.filter(
                course_key__in=course_keys_editable_by(user)
            ).values_list("user_id", flat=True)
        ) | {user.pk}

    return remembered(user, "_co_editor_ids", compute)


class SharedWithCoEditorsPolicy(ModelPermissionPolicy):
    """The model permissions, and for a trainer limited to their courses:
    change and delete only what they or a co-editor created."""

    def __init__(self, model, *, creator_field):
        super().__init__(model)
        self.creator_field = creator_field

    def _shared_with(self, user, instance) -> bool:
        creator = getattr(instance, f"{self.creator_field}_id")
        return creator is None or creator in co_editor_ids(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action in GUARDED and team_limited(user):
            return self._shared_with(user, instance)
        return True

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance)
            for action in actions
        )

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if team_limited(user) and set(actions) <= set(GUARDED):
            instances = instances.filter(
                Q(**{f"{self.creator_field}__isnull": True})
                | Q(**{f"{self.creator_field}__in": co_editor_ids(user)})
            )
        return instances


def register_shared(model, *, creator_field="created_by"):
    """Register the policy for ``model`` (from its app's ``ready()``,
    before Wagtail makes a fallback policy for it)."""
    from wagtail.permissions import register_permission_policy

    register_permission_policy(
        model,
        SharedWithCoEditorsPolicy(model, creator_field=creator_field),
        exact_class=True,
    )


def may(user, action, instance) -> bool:
    """Whether ``user`` may ``action`` ("change", "delete", ...) this
    material, by its model's registered policy."""
    from wagtail.permissions import policy_registry

    return policy_registry.get_by_type(type(instance)).user_has_permission_for_instance(
        user, action, instance
    )


def changeable_by(user, model):
    """The instances of ``model`` that ``user`` may change."""
    from wagtail.permissions import policy_registry

    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(
        user, ["change"]
    )


class _AskAboutTheObject:
    object_permission = "change"

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.object_permission, instance
        ):
            raise PermissionDenied
        return instance


class SharedEditView(_AskAboutTheObject, EditView):
    pass


class SharedDeleteView(_AskAboutTheObject, DeleteView):
    object_permission = "delete"


class SharedIndexView(IndexView):
    """The listing links each material to its editor for those who may
    change it, to its read-only view for the others."""

    def _may(self, action, instance):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, action, instance
        )

    def get_edit_url(self, instance):
        if self._may("change", instance):
            return super().get_edit_url(instance)
        return None

    def get_delete_url(self, instance):
        if self._may("delete", instance):
            return super().get_delete_url(instance)
        return None


class SharedMaterialsMixin:
    """For a SnippetViewSet of shared materials: object-level edit and
    delete, and an inspect view so that others can read them."""

    index_view_class = SharedIndexView
    edit_view_class = SharedEditView
    delete_view_class = SharedDeleteView
    inspect_view_enabled = True


def record_creator(request, instance):
    """``after_create_snippet``: the person who made a material is its
    creator (a model that records one in ``created_by``)."""
    if (
        hasattr(instance, "created_by_id")
        and instance.created_by_id is None
        and getattr(request.user, "is_authenticated", False)
    ):
        type(instance).objects.filter(pk=instance.pk).update(created_by=request.user)
        instance.created_by = request.user
