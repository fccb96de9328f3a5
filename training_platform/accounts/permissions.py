"""Which model permissions each role has.

Groups are created by a migration; their permissions are synced after every
``migrate`` (post_migrate), because the permission rows of later apps only exist
once those apps have migrated. Each app declares its own role permissions in its
AppConfig.ready() with ``grant``. The sync only adds declared permissions, so an
administrator's additions in the admin survive, except that user and group
management is always taken away from Coordinators and Trainers (E03): in Wagtail
those permissions allow creating superusers.
"""

from collections import defaultdict

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from . import roles

_DECLARED: dict[str, set[str]] = defaultdict(set)
_COLLECTION_PERMISSIONS: dict[str, set[str]] = defaultdict(set)

FORBIDDEN_FOR_NON_ADMINS = (
    Q(content_type__app_label="accounts", content_type__model="user")
    | Q(content_type__app_label="auth", content_type__model="group")
    | Q(content_type__app_label="auth", content_type__model="permission")
    | Q(content_type__app_label="wagtailusers")
    | Q(content_type__app_label="wagtailcore", codename__endswith="grouppagepermission")
    | Q(
        content_type__app_label="wagtailcore",
        codename__endswith="groupcollectionpermission",
    )
    | Q(content_type__app_label="wagtailcore", codename__endswith="groupsitepermission")
)


def grant(role: str, *permissions: str) -> None:
    """Declare that ``role`` has ``app_label.codename`` permissions."""
    if role not in roles.ALL:
        raise ValueError(f"Unknown role {role!r}")
    _DECLARED[role].update(permissions)


def grant_collection(role: str, *codenames: str) -> None:
    """Declare Wagtail collection permissions (images, documents) on the root
    collection, for example ``add_image`` or ``choose_document``."""
    _COLLECTION_PERMISSIONS[role].update(codenames)


def _permissions(names):
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def sync_role_permissions(**kwargs) -> None:
    from wagtail.models import Collection, GroupCollectionPermission

    groups = {g.name: g for g in Group.objects.filter(name__in=roles.ALL)}
    for name, group in groups.items():
        if _DECLARED.get(name):
            group.permissions.add(*_permissions(_DECLARED[name]))
        if name in (roles.COORDINATORS, roles.TRAINERS, roles.LEARNERS):
            group.permissions.remove(
                *group.permissions.filter(FORBIDDEN_FOR_NON_ADMINS)
            )
    root = Collection.get_first_root_node()
    if root is None:
        return
    for name, codenames in _COLLECTION_PERMISSIONS.items():
        group = groups.get(name)
        if group is None:
            continue
        for permission in Permission.objects.filter(
            content_type__app_label__in=["wagtailimages", "wagtaildocs"],
            codename__in=codenames,
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


grant(roles.TRAINERS, "wagtailadmin.access_admin")
grant_collection(
    roles.TRAINERS,
    "add_image",
    "change_image",
    "choose_image",
    "add_document",
    "change_document",
    "choose_document",
)
grant(roles.COORDINATORS, "wagtailadmin.access_admin")
grant(
    roles.ADMINISTRATORS,
    "wagtailadmin.access_admin",
    "accounts.add_user",
    "accounts.change_user",
    "accounts.delete_user",
    "accounts.view_user",
    "auth.add_group",
    "auth.change_group",
    "auth.delete_group",
    "auth.view_group",
    "accounts.add_country",
    "accounts.change_country",
    "accounts.delete_country",
    "accounts.view_country",
    "accounts.add_organisation",
    "accounts.change_organisation",
    "accounts.delete_organisation",
    "accounts.view_organisation",
    "wagtailcore.add_locale",
    "wagtailcore.change_locale",
    "wagtailcore.view_locale",
    "wagtailredirects.add_redirect",
    "wagtailredirects.change_redirect",
    "wagtailredirects.delete_redirect",
)
grant_collection(
    roles.ADMINISTRATORS,
    "add_image",
    "change_image",
    "delete_image",
    "choose_image",
    "add_document",
    "change_document",
    "delete_document",
    "choose_document",
)


class ServiceOnlyPolicy(ModelPermissionPolicy):
    """For records that change only through their services (attempts,
    issued certificates): nobody adds, edits or deletes them in the admin,
    superusers included; viewing follows the model permissions."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)
