"""The links in subscription e-mails, signed with the site's secret key (django.core.signing).

A link names the subscription and carries its nonce, signed for one purpose: a confirmation
link cannot unsubscribe, an unsubscribe link cannot confirm. Confirmation links expire; an
unsubscribe link works for as long as the subscription exists.
"""

from datetime import timedelta

from django.core import signing

from .models import Subscription

CONFIRM = "subscriptions.confirm"
UNSUBSCRIBE = "subscriptions.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)
TOKEN_MAX_LENGTH = 200  # longer than any token made here; longer ones are refused unread


class BadLink(Exception):
    """A link that was not made here, was altered, or has expired."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def make(subscription: Subscription, purpose: str) -> str:
    return signing.dumps({"s": subscription.pk, "n": subscription.nonce}, salt=purpose)


def read(token: str, purpose: str) -> tuple[int, str]:
    """The subscription id and nonce a token names; `BadLink` when it is not one of ours
    (or, for a confirmation, is older than `CONFIRM_MAX_AGE`)."""
    if len(token) > TOKEN_MAX_LENGTH:
        raise BadLink
    max_age = CONFIRM_MAX_AGE if purpose == CONFIRM else None
    try:
        data = signing.loads(token, salt=purpose, max_age=max_age)
    except signing.SignatureExpired:
        raise BadLink(expired=True) from None
    except signing.BadSignature:
        raise BadLink from None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise BadLink
    return data["s"], str(data.get("n", ""))


def find(token: str, purpose: str) -> Subscription | None:
    """The subscription a valid token names, or None if it no longer exists."""
    pk, nonce = read(token, purpose)
    return (
        Subscription.objects.select_related("issue", "meeting").filter(pk=pk, nonce=nonce).first()
    )
