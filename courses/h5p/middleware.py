from django.urls import Resolver404, resolve

# Package files and player assets: static bytes behind a signed URL or a
# version. They need no session, user, language or CSRF.
STATIC_PATHS = ("/h5p/files/", "/h5p/assets/")


class ContentFilesMiddleware:
    """Serves H5P package files and player assets ahead of the session,
    language and authentication middleware (as whitenoise does for static
    files). Going through those would only add ``Vary: Cookie`` (they read the
    session), which stops browsers and caches from reusing the files; the
    views answer on the content origin alone and carry their own isolation
    headers. Place it right after whitenoise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(STATIC_PATHS):
            try:
                match = resolve(request.path_info, urlconf="courses.h5p.urls_root")
            except Resolver404:
                pass
            else:
                return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)
