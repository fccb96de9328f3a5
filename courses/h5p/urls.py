from django.urls import path

from . import views

app_name = "h5p"

urlpatterns = [
    # Content origin: signed tokens, no session.
    path("play/<str:launch>/", views.player, name="player"),
    path("files/<str:token>/<path:path>", views.package_file, name="file"),
    path("assets/<str:version>/<path:path>", views.player_asset, name="asset"),
    # Site origin: session and CSRF.
    path("xapi/", views.statements, name="statements"),
    path("state/", views.state, name="state"),
]
