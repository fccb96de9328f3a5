from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.shortcuts import resolve_url
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)

    def get_login_redirect_url(self, request):
        # Land in the user's preferred language (the URL carries the language).
        language = getattr(request.user, "preferred_language", None)
        if language in dict(settings.LANGUAGES):
            with translation.override(language):
                return resolve_url(settings.LOGIN_REDIRECT_URL)
        return super().get_login_redirect_url(request)
