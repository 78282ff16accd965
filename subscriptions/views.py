"""The subscription pages: subscribe, confirm, unsubscribe. None is cached.

The issue and meeting pages are cached whole for anonymous readers and set no CSRF cookie,
so their subscribe form carries no CSRF token. It posts to the subscribe page, which then
stores nothing and sends nothing: it shows its own form, protected by a CSRF token, with the
address filled in, and only that form's post subscribes (`subscribe_view`). The one-click
unsubscribe POST of RFC 8058 carries no CSRF token either: the signed link authenticates it.
"""

import smtplib

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from issues.models import Issue, Meeting
from summit.client_ip import client_ip

from . import services, tokens
from .forms import SubscribeForm
from .models import Subscription

#: Subscribe posts one client address may make in an hour (each may send an e-mail).
POSTS_PER_HOUR = 20
TOKEN_FIELD = "csrfmiddlewaretoken"


def _over_limit(request: HttpRequest) -> bool:
    key = f"subscribe-posts:{client_ip(request)}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        return cache.incr(key) > POSTS_PER_HOUR
    except ValueError:  # evicted between add and incr
        return False


def _csrf_refusal(request: HttpRequest) -> HttpResponse | None:
    """The CSRF middleware's own check, run here since the view is exempt from it."""
    return CsrfViewMiddleware(lambda r: HttpResponse()).process_view(
        request, _protected_marker, (), {}
    )


def _protected_marker(request: HttpRequest) -> HttpResponse:  # a view not CSRF exempt
    return HttpResponse()


def _subscribe(request: HttpRequest, target: Issue | Meeting, kind: str) -> HttpResponse:
    context: dict[str, object] = {"target": target, "kind": kind}
    if request.method != "POST":
        return render(request, "subscriptions/subscribe.html", {**context, "form": SubscribeForm()})
    from_cached_page = TOKEN_FIELD not in request.POST
    if not from_cached_page:
        refusal = _csrf_refusal(request)
        if refusal is not None:
            return refusal
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(
            request, "subscriptions/subscribe.html", {**context, "form": form}, status=422
        )
    if from_cached_page:
        # Nothing stored yet: the reader confirms on this page, with its CSRF token.
        return render(
            request,
            "subscriptions/subscribe.html",
            {**context, "form": form, "check_address": True},
        )
    if _over_limit(request):
        response = render(request, "subscriptions/too_many.html", context, status=429)
        response["Retry-After"] = str(60 * 60)
        return response
    try:
        services.subscribe(form.cleaned_data["email"], target)
    except (smtplib.SMTPException, OSError):
        return render(request, "subscriptions/mail_failed.html", context, status=503)
    return render(
        request,
        "subscriptions/check_inbox.html",
        {**context, "email": form.cleaned_data["email"], "days": tokens.CONFIRM_MAX_AGE.days},
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe_issue(request: HttpRequest, slug: str) -> HttpResponse:
    # Subscriptions are to what readers see: a draft issue cannot be followed.
    issue = get_object_or_404(Issue.objects.visible_to(AnonymousUser()), slug=slug)
    return _subscribe(request, issue, "issue")


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe_meeting(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    return _subscribe(request, meeting, "meeting")


def _shown_target(subscription: Subscription) -> Issue | Meeting | None:
    """The subscription's issue or meeting, if a reader may see it now."""
    if subscription.meeting is not None:
        return subscription.meeting
    issue = subscription.issue
    assert issue is not None  # the database holds exactly one target
    visible = Issue.objects.visible_to(AnonymousUser()).filter(pk=issue.pk)
    return issue if visible.exists() else None


def _bad_link(request: HttpRequest, error: tokens.BadLink) -> HttpResponse:
    status = 410 if error.expired else 400
    return render(request, "subscriptions/bad_link.html", {"expired": error.expired}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, so that a mail scanner following the link confirms nothing."""
    try:
        subscription = tokens.find(token, tokens.CONFIRM)
    except tokens.BadLink as error:
        return _bad_link(request, error)
    if subscription is None:
        return _bad_link(request, tokens.BadLink(expired=True))
    if request.method == "POST":
        services.confirm(subscription)
        subscription.refresh_from_db()
    context = {
        "subscription": subscription,
        "target": _shown_target(subscription),
        "kind": "issue" if subscription.issue_id else "meeting",
    }
    return render(request, "subscriptions/confirm.html", context)


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST (the page's button, or a mail program's one-click POST)
    unsubscribes. Unsubscribing twice answers the same as once."""
    try:
        subscription = tokens.find(token, tokens.UNSUBSCRIBE)
    except tokens.BadLink as error:
        return _bad_link(request, error)
    context: dict[str, object] = {"done": subscription is None}
    if subscription is not None:
        context |= {
            "target": _shown_target(subscription),
            "kind": "issue" if subscription.issue_id else "meeting",
        }
        if request.method == "POST":
            services.unsubscribe(subscription)
            context["done"] = True
    return render(request, "subscriptions/unsubscribe.html", context)
