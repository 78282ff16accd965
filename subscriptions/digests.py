"""The e-mail digests of `manage.py send_digests`.

For each confirmed subscription: the published changes (`issues.pages.changes`, as the Atom
feeds have them, read as an anonymous reader so drafts never show) whose revisions were
recorded since its last digest. Nothing is sent when nothing changed. Subscriptions are
handled by target (an issue or a meeting): one read of the changes and one transaction per
target, whatever the number of its subscribers, so the queries grow with the targets, not
with the subscribers or the changes.

In each target's transaction the subscriptions are locked, their digests recorded and their
`digested_until` advanced, and the mails sent; a mail server's refusal rolls the target back
so that its digests go out on the next run, and a second run at the same time waits for the
lock and then finds nothing new. A subscription whose window had no change is advanced too,
so the next run reads its target once for all its subscribers.
"""

import email.policy
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from issues.models import Issue, Meeting
from issues.pages.changes import FEED_LIMIT, Change, recent_changes

from . import tokens
from .models import Digest, Subscription
from .services import absolute, forget_unconfirmed

#: Changes listed in one digest at most; more are left to the page's history and feed.
DIGEST_LIMIT = FEED_LIMIT


@dataclass(frozen=True)
class Report:
    sent: int
    targets: int
    forgotten: int


class DigestMessage(EmailMultiAlternatives):
    """A digest whose `List-Unsubscribe` reaches mail programs as written. Python's e-mail
    package turns a header it cannot fold at a space within 78 characters (a long signed
    link is one word) into RFC 2047 encoded words, which are not read as a link: lines may be
    as long as RFC 5322 allows instead."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def digest_message(
    subscription: Subscription, target: Issue | Meeting, changes: list[Change]
) -> DigestMessage:
    unsubscribe_url = absolute(
        reverse("subscriptions:unsubscribe", args=[tokens.make(subscription, tokens.UNSUBSCRIBE)])
    )
    context = {
        "target": target,
        "kind": "issue" if isinstance(target, Issue) else "meeting",
        "target_url": absolute(target.get_absolute_url()),
        "changes": [(change, absolute(change.url)) for change in changes[:DIGEST_LIMIT]],
        "more": len(changes) > DIGEST_LIMIT,
        "unsubscribe_url": unsubscribe_url,
    }
    message = DigestMessage(
        subject=f"{target.title}: {_counted(len(changes))}",
        body=render_to_string("subscriptions/mail/digest.txt", context),
        to=[subscription.email],
        headers={
            # RFC 2369 and RFC 8058: mail programs offer to unsubscribe with one click, by a
            # POST to the link (the token in it is the authentication).
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("subscriptions/mail/digest.html", context), "text/html"
    )
    return message


def _counted(count: int) -> str:
    if count > DIGEST_LIMIT:
        return f"more than {DIGEST_LIMIT} changes"
    return "1 change" if count == 1 else f"{count} changes"


def _changes(target: Issue | Meeting, after: datetime, until: datetime) -> list[Change]:
    """Published changes of the target recorded in (after, until], newest first."""
    reader = AnonymousUser()
    where = {"issue": target} if isinstance(target, Issue) else {"meeting": target}
    return recent_changes(
        reader, **where, limit=DIGEST_LIMIT + 1, recorded_after=after, recorded_until=until
    )


def _send_target(target: Issue | Meeting, subscription_ids: list[int], now: datetime) -> int:
    """One target's digests, in one transaction; the number of mails sent."""
    with transaction.atomic():
        subscriptions = list(
            Subscription.objects.select_for_update()
            .filter(pk__in=subscription_ids, confirmed_at__isnull=False, digested_until__lt=now)
            .order_by("pk")
        )
        if not subscriptions:
            return 0
        earliest = min(s.digested_until for s in subscriptions if s.digested_until)
        changes = _changes(target, earliest, now)
        messages, digests = [], []
        for subscription in subscriptions:
            after = subscription.digested_until
            assert after is not None
            due = [c for c in changes if c.recorded is not None and c.recorded > after]
            if not due:
                continue
            messages.append(digest_message(subscription, target, due))
            digests.append(
                Digest(
                    subscription=subscription,
                    sent_at=now,
                    changes_after=after,
                    changes_until=now,
                    changes=len(due),
                )
            )
        Digest.objects.bulk_create(digests)
        Subscription.objects.filter(pk__in=[s.pk for s in subscriptions]).update(digested_until=now)
        if messages:
            mail.mailers.default.send_messages(messages)
        return len(messages)


def send_digests(now: datetime | None = None) -> Report:
    """Send every digest that is due; running it again at once sends nothing."""
    now = now or timezone.now()
    forgotten = forget_unconfirmed(now)
    by_target: dict[tuple[str, int], list[int]] = defaultdict(list)
    for pk, issue_id, meeting_id in Subscription.objects.filter(
        confirmed_at__isnull=False, digested_until__lt=now
    ).values_list("pk", "issue_id", "meeting_id"):
        key = ("issue", issue_id) if issue_id is not None else ("meeting", meeting_id)
        by_target[key].append(pk)
    issues = Issue.objects.visible_to(AnonymousUser()).in_bulk(
        [pk for kind, pk in by_target if kind == "issue"]
    )
    meetings = Meeting.objects.in_bulk([pk for kind, pk in by_target if kind == "meeting"])
    sent = 0
    for (kind, pk), subscription_ids in by_target.items():
        target = issues.get(pk) if kind == "issue" else meetings.get(pk)
        if target is None:
            continue  # an issue no longer published: its subscribers wait, nothing is sent
        sent += _send_target(target, subscription_ids, now)
    return Report(sent=sent, targets=len(by_target), forgotten=forgotten)
