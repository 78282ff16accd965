"""Addresses of the site. Readers share them, so they stay stable."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Summit dossiers: editors"
admin.site.site_title = "Summit dossiers"
admin.site.index_title = "Dossiers back office"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("issues.urls")),
]
