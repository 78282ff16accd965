"""Addresses of the site. Readers share them, so they stay stable."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from issues.api import api
from issues.sitemaps import SITEMAPS
from issues.views.discovery import robots_txt

admin.site.site_header = "Summit dossiers: editors"
admin.site.site_title = "Summit dossiers"
admin.site.index_title = "Dossiers back office"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("api/", api.urls),
    path("", include("issues.urls")),
]
