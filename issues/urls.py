from django.urls import path

from .views import health, home, issue_page, pages

app_name = "issues"

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
    path("summits/<slug:slug>/", pages.summit_detail, name="summit"),
    path("meetings/<slug:slug>/", pages.meeting_detail, name="meeting"),
    path("issues/<slug:slug>/", issue_page.issue_detail, name="issue"),
    path("leaders/", pages.leader_list, name="leaders"),
    path("leaders/<slug:slug>/", pages.leader_detail, name="leader"),
    path("sources/", pages.source_list, name="sources"),
    path("sources/<int:pk>/", pages.source_detail, name="source"),
]
