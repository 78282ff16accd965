"""Addresses of the site. Readers share them, so they stay stable."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from issues.api import api
from issues.sitemaps import SITEMAPS
from issues.views.discovery import robots_txt
from summit.signin import SignInForm, password_reset_urls

# Errors in the site design; a database fault answers 503 with Retry-After.
handler500 = "summit.errors.server_error"

admin.site.site_header = "Summit dossiers: editors"
admin.site.site_title = "Summit dossiers"
admin.site.index_title = "Dossiers back office"
admin.site.login_form = SignInForm

urlpatterns = [
    *password_reset_urls,
    path("admin/", admin.site.urls),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("api/", api.urls),
    path("", include("subscriptions.urls")),
    path("", include("issues.urls")),
]
