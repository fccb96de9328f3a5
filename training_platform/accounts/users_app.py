from wagtail.users.apps import WagtailUsersAppConfig


class PlatformUsersAppConfig(WagtailUsersAppConfig):
    """wagtail.users with the platform's user forms (no first/last name)."""

    user_viewset = "training_platform.accounts.viewsets.UserViewSet"
