"""Subscribing, confirming and unsubscribing: each one transaction.

Subscribing answers the same whatever the address's state (new, pending, confirmed), so the
form tells no one whether an address is subscribed. Confirmation e-mails are bounded: one per
subscription every `RESEND_AFTER`, and at most `MAX_CONFIRMATIONS_PER_HOUR` to one address.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from issues.models import Issue, Meeting

from . import tokens
from .models import Subscription

RESEND_AFTER = timedelta(minutes=10)
MAX_CONFIRMATIONS_PER_HOUR = 5


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def target_kwargs(target: Issue | Meeting) -> dict[str, Any]:
    return {"issue": target} if isinstance(target, Issue) else {"meeting": target}


def confirmation_message(subscription: Subscription) -> EmailMessage:
    from django.urls import reverse

    token = tokens.make(subscription, tokens.CONFIRM)
    context = {
        "target": subscription.target,
        "target_url": absolute(subscription.target.get_absolute_url()),
        "confirm_url": absolute(reverse("subscriptions:confirm", args=[token])),
        "days": tokens.CONFIRM_MAX_AGE.days,
    }
    return EmailMessage(
        subject=f"Confirm your subscription: {subscription.target.title}",
        body=render_to_string("subscriptions/mail/confirm.txt", context),
        to=[subscription.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def subscribe(email: str, target: Issue | Meeting) -> None:
    """Record a pending subscription (or find the existing one) and send the confirmation
    link when one is due. Nothing tells the caller which case it was."""
    email = email.strip().lower()
    now = timezone.now()
    try:
        with transaction.atomic():
            subscription, _created = Subscription.objects.select_for_update().get_or_create(
                email=email, **target_kwargs(target)
            )
            if subscription.confirmed:
                return  # already receiving digests: nothing to send
            if (
                subscription.confirmation_sent_at is not None
                and now - subscription.confirmation_sent_at < RESEND_AFTER
            ):
                return
            recently = Subscription.objects.filter(
                email=email, confirmation_sent_at__gte=now - timedelta(hours=1)
            ).count()
            if recently >= MAX_CONFIRMATIONS_PER_HOUR:
                return
            subscription.confirmation_sent_at = now
            subscription.save(update_fields=["confirmation_sent_at"])
            # Sent inside the transaction: if the mail server refuses it, nothing is recorded.
            confirmation_message(subscription).send()
    except IntegrityError:
        # The same address subscribed at the same moment by another request: that request
        # sends the link.
        return


def confirm(subscription: Subscription) -> None:
    """Start the digests from now: changes before the confirmation are not news to send."""
    with transaction.atomic():
        locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if locked.confirmed:
            return
        now = timezone.now()
        locked.confirmed_at = now
        locked.digested_until = now
        locked.save(update_fields=["confirmed_at", "digested_until"])


def unsubscribe(subscription: Subscription) -> None:
    """Forget the address for this issue or meeting, with the record of its digests."""
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk).delete()


def forget_unconfirmed(now=None) -> int:
    """Delete pending subscriptions whose confirmation link has expired."""
    now = now or timezone.now()
    cutoff = now - tokens.CONFIRM_MAX_AGE
    deleted, _ = (
        Subscription.objects.filter(confirmed_at__isnull=True)
        .filter(
            Q(confirmation_sent_at__lt=cutoff)
            | Q(confirmation_sent_at__isnull=True, created_at__lt=cutoff)
        )
        .delete()
    )
    return deleted
