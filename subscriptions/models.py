"""A reader's e-mail subscription to an issue or a meeting, and the digests sent to it.

A subscription is pending until its address is confirmed (double opt-in); only a confirmed
one receives digests. `digested_until` is the moment up to which the subscriber has been
sent every published change (set when confirming, advanced by each run of `send_digests`):
a change is sent once, when its revision was recorded after that moment. Unsubscribing
deletes the row and its digests: no address is kept once its owner leaves.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from issues.models import Issue, Meeting

EMAIL_MAX_LENGTH = 254  # RFC 5321's limit on a forward path


def new_nonce() -> str:
    """A random value signed into the row's links: links of a deleted subscription never
    work for a later one, even if it gets the same id."""
    return secrets.token_urlsafe(16)


class Subscription(models.Model):
    email = models.EmailField("e-mail address", max_length=EMAIL_MAX_LENGTH)
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    digested_until = models.DateTimeField(
        null=True, blank=True, help_text="Changes recorded up to this moment have been sent."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issue__isnull=False, meeting__isnull=True)
                | Q(issue__isnull=True, meeting__isnull=False),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(
                "email", "issue", condition=Q(issue__isnull=False), name="subscription_issue_once"
            ),
            models.UniqueConstraint(
                "email",
                "meeting",
                condition=Q(meeting__isnull=False),
                name="subscription_meeting_once",
            ),
            # Addresses are stored in lower case, so that one address is one subscription.
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="subscription_email_lower_case"
            ),
            models.CheckConstraint(condition=~Q(email=""), name="subscription_email_not_empty"),
            # A confirmed subscription knows from when its changes are due.
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(digested_until__isnull=False),
                name="subscription_confirmed_has_watermark",
            ),
        ]
        indexes = [models.Index(fields=["email", "confirmation_sent_at"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.target}"

    @property
    def target(self) -> Issue | Meeting:
        target = self.issue or self.meeting
        assert target is not None  # the database holds exactly one
        return target

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class Digest(models.Model):
    """One digest e-mail sent: which subscription, and the changes it carried (revisions
    recorded after `changes_after`, up to `changes_until`)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="digests")
    sent_at = models.DateTimeField(default=timezone.now)
    changes_after = models.DateTimeField()
    changes_until = models.DateTimeField()
    changes = models.PositiveIntegerField()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                "subscription", "changes_until", name="digest_once_per_interval"
            ),
            models.CheckConstraint(
                condition=Q(changes_until__gt=models.F("changes_after")),
                name="digest_interval_forward",
            ),
            models.CheckConstraint(condition=Q(changes__gt=0), name="digest_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.changes} changes to {self.subscription.email}, {self.sent_at:%Y-%m-%d}"
