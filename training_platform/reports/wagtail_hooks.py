from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from training_platform.accounts import roles


class ImpactMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.is_trainer(request.user) or roles.is_administrator(request.user)


@hooks.register("register_admin_menu_item")
def impact_menu_item():
    return ImpactMenuItem(
        gettext_lazy("Impact of the training"),
        reverse("reports:impact"),
        icon_name="doc-full",
        order=265,
        name="impact",
    )
