from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("issues/<slug:slug>/subscribe/", views.subscribe_issue, name="issue"),
    path("meetings/<slug:slug>/subscribe/", views.subscribe_meeting, name="meeting"),
    path("subscriptions/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscriptions/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
