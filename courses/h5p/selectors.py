"""Reads of the H5P app: content, state, results and the origins the player
uses."""

from urllib.parse import urlsplit

from . import conf
from .models import H5PContent, H5PPendingImport, H5PResult, H5PUserState
from .services import user_can_install_libraries


def content_by_uuid_hex(value):
    try:
        return H5PContent.objects.get(uuid=value)
    except (H5PContent.DoesNotExist, ValueError):
        return None


def user_state_for(*, user, content, data_type="state", sub_content_id="0"):
    state = H5PUserState.objects.filter(
        user=user, content=content, data_type=data_type, sub_content_id=sub_content_id
    ).first()
    return state.data if state else None


def result_for(*, user, activity_key, context_key=""):
    return H5PResult.objects.filter(
        user=user, activity_key=activity_key, context_key=context_key
    ).first()


def pending_imports_visible_to(user):
    """Administrators see every package waiting for them; a trainer sees the
    ones they uploaded."""
    queryset = H5PPendingImport.objects.select_related(
        "uploaded_by", "decided_by", "content"
    )
    if user_can_install_libraries(user):
        return queryset
    return queryset.filter(uploaded_by=user)


def site_origin(request):
    return f"{request.scheme}://{request.get_host()}"


def content_origin(request):
    """Where the player and package files are served from.

    ``H5P_CONTENT_ORIGIN`` (production: a separate registrable domain, e.g.
    ``https://h5p-content.example.net``; a subdomain or another port of the site
    is not separate, it shares cookies). Without it, a site reached as
    ``127.0.0.1:<port>`` serves content as ``localhost:<port>``: the same
    server under another host name, so the site's cookies never go there.
    Anywhere else the content stays on the site's origin, still isolated by
    the sandboxed frame."""
    configured = conf.get("H5P_CONTENT_ORIGIN")
    if configured:
        return configured.rstrip("/")
    parts = urlsplit(site_origin(request))
    if parts.hostname == "127.0.0.1":
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://localhost{port}"
    return site_origin(request)


def is_content_request(request):
    """Player and files answer only on the content origin."""
    configured = conf.get("H5P_CONTENT_ORIGIN")
    host = request.get_host().lower()
    if configured:
        return urlsplit(configured).netloc.lower() == host
    return urlsplit(f"http://{host}").hostname != "127.0.0.1"
