class SecurityHeadersMiddleware:
    """Headers Django does not set itself. Views that serve untrusted content
    (H5P files, the player) set their own, stricter policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response
