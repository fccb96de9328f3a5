from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """whitenoise, with hashed (immutable) files kept for one year, the
    longest lifetime HTTP caches are asked to honour, rather than ten."""

    FOREVER = 365 * 24 * 60 * 60
