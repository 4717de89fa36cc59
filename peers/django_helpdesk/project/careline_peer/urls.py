"""django-helpdesk at the root (its REST API under /api/), Django's admin, and the
attachments under MEDIA_URL (a deployment's web server serves those; nothing else does
here, with DEBUG off)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
