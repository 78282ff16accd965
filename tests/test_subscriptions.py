"""Following an issue or a meeting by e-mail: double opt-in, digests of published changes
sent once, one-click unsubscribe (subscriptions/)."""

import email.policy
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail, signing
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from issues import services as edits
from issues.models import Draft, PublicationStatus
from subscriptions import tokens
from subscriptions.digests import DIGEST_LIMIT, send_digests
from subscriptions.models import Digest, Subscription
from subscriptions.services import MAX_CONFIRMATIONS_PER_HOUR
from subscriptions.views import POSTS_PER_HOUR
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LINK = re.compile(r"http://testserver(/subscriptions/[a-z]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def fresh_post_counts():
    """The per-address count of subscribe posts lives in the cache, outside the test. Only
    those keys go: flushing the Redis the test workers share would pull the reader pages'
    generation from under another worker's request."""
    if hasattr(cache, "delete_pattern"):  # Redis
        cache.delete_pattern("subscribe-posts:*")
    else:
        cache.clear()


@pytest.fixture
def issue(db):
    return factories.IssueFactory(slug="arms", title="Arms & <control>")


def browser() -> Client:
    """A reader's browser: CSRF checks enforced, as in production."""
    return Client(enforce_csrf_checks=True)


def subscribe(client: Client, path: str, email: str):
    """Open the subscribe page and post its own form, with its CSRF token."""
    page = client.get(path)
    assert page.status_code == 200
    token = TOKEN.search(page.content.decode()).group(1)
    return client.post(path, {"email": email, "csrfmiddlewaretoken": token})


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def confirmed(issue, email="reader@example.org") -> Subscription:
    client = browser()
    subscribe(client, f"/issues/{issue.slug}/subscribe/", email)
    path = link_in(mail.outbox[-1])
    page = client.get(path)
    token = TOKEN.search(page.content.decode()).group(1)
    client.post(path, {"csrfmiddlewaretoken": token})
    return Subscription.objects.get(email=email, issue=issue)


def test_subscribe_confirm_digest_once_then_unsubscribe_with_one_click(issue):
    client = browser()
    response = subscribe(client, "/issues/arms/subscribe/", "Reader@Example.org")
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.email == "reader@example.org" and not subscription.confirmed

    # The confirmation e-mail carries a signed link; following it asks before confirming.
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["reader@example.org"]
    path = link_in(confirmation)
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm the subscription" in page.content.decode()
    subscription.refresh_from_db()
    assert not subscription.confirmed  # a link scanner's GET confirms nothing
    assert send_digests().sent == 0  # pending: no digest
    token = TOKEN.search(page.content.decode()).group(1)
    assert client.post(path, {"csrfmiddlewaretoken": token}).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed

    # Nothing changed since: nothing sent.
    mail.outbox.clear()
    assert send_digests().sent == 0
    assert mail.outbox == []

    factories.PositionFactory(issue=issue, summary="Moscow <b>proposes</b> talks")
    assert send_digests().sent == 1
    digest = mail.outbox[0]
    assert digest.to == ["reader@example.org"]
    assert digest.subject == "Arms & <control>: 1 change"
    assert "Moscow <b>proposes</b> talks" in digest.body  # plain text, as written
    html, mimetype = digest.alternatives[0]
    assert mimetype == "text/html"
    assert "Moscow &lt;b&gt;proposes&lt;/b&gt; talks" in html  # escaped in HTML
    assert "Arms &amp; &lt;control&gt;" in html
    assert "<b>proposes" not in html
    unsubscribe_path = link_in(digest)
    assert unsubscribe_path.startswith("/subscriptions/unsubscribe/")
    assert digest.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe_path}>"
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for policy in (email.policy.default, email.policy.SMTP):  # as written, not RFC 2047 words
        sent = digest.message(policy=policy).as_bytes()
        assert f"List-Unsubscribe: <http://testserver{unsubscribe_path}>".encode() in sent
        assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in sent
    assert f"http://testserver{unsubscribe_path}" in html
    record = Digest.objects.get()
    assert record.subscription == subscription and record.changes == 1

    # A second run sends nothing twice.
    mail.outbox.clear()
    assert send_digests().sent == 0
    assert mail.outbox == []

    # A mail program's one-click unsubscribe: a POST with no CSRF token (RFC 8058).
    response = browser().post(
        unsubscribe_path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Unsubscribed" in response.content.decode()
    assert not Subscription.objects.exists()
    assert not Digest.objects.exists()
    factories.PositionFactory(issue=issue, summary="Another change")
    assert send_digests().sent == 0
    assert mail.outbox == []
    # The link keeps answering, the same way.
    assert browser().post(unsubscribe_path).status_code == 200


def test_the_unsubscribe_link_asks_before_unsubscribing(issue):
    subscription = confirmed(issue)
    path = f"/subscriptions/unsubscribe/{tokens.make(subscription, tokens.UNSUBSCRIBE)}/"
    page = browser().get(path)
    assert page.status_code == 200
    assert "Unsubscribe?" in page.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_a_bad_address_is_a_form_error(issue):
    client = browser()
    for bad in ["", "not an address", "a@", "x" * 250 + "@example.org"]:
        response = subscribe(client, "/issues/arms/subscribe/", bad)
        assert response.status_code == 422
        assert 'class="account-form__error"' in response.content.decode()
    assert not Subscription.objects.exists()
    assert mail.outbox == []


# Tokens are made when the test runs, not when it is collected: a signature holds the time
# it was made, and every test worker must collect the same test names.
FORGERIES = {
    "forged": lambda: "forged",
    "another-purpose": lambda: signing.dumps({"s": 1, "n": "x"}, salt="another.purpose"),
    "another-key": lambda: signing.dumps(
        {"s": 1, "n": "x"}, salt=tokens.CONFIRM, key="not-the-site-key"
    ),
    "too-long": lambda: "a" * 500,
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_forged_links_are_refused(issue, forgery):
    token = FORGERIES[forgery]()
    for path in [f"/subscriptions/confirm/{token}/", f"/subscriptions/unsubscribe/{token}/"]:
        for method in ("get", "post"):
            response = getattr(browser(), method)(path)
            assert response.status_code in (400, 403), path
            if response.status_code == 400:
                assert "This link does not work" in response.content.decode()


def test_a_link_of_one_purpose_does_not_do_the_other(issue):
    subscription = confirmed(issue)
    unsubscribe_token = tokens.make(subscription, tokens.UNSUBSCRIBE)
    assert browser().get(f"/subscriptions/confirm/{unsubscribe_token}/").status_code == 400
    confirm_token = tokens.make(subscription, tokens.CONFIRM)
    assert browser().post(f"/subscriptions/unsubscribe/{confirm_token}/").status_code == 400
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_an_expired_confirmation_link_is_refused(issue, monkeypatch):
    subscribe(browser(), "/issues/arms/subscribe/", "late@example.org")
    path = link_in(mail.outbox[0])
    monkeypatch.setattr(tokens, "CONFIRM_MAX_AGE", timedelta(seconds=-1))
    response = Client().post(path)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert not Subscription.objects.get().confirmed


def test_links_of_a_deleted_subscription_do_not_work_for_a_new_one(issue):
    old = confirmed(issue)
    old_confirm = tokens.make(old, tokens.CONFIRM)
    Client().post(f"/subscriptions/unsubscribe/{tokens.make(old, tokens.UNSUBSCRIBE)}/")
    new = Subscription.objects.create(email="reader@example.org", issue=issue, pk=old.pk)
    assert Client().post(f"/subscriptions/confirm/{old_confirm}/").status_code == 410
    new.refresh_from_db()
    assert not new.confirmed


def test_subscribing_again_answers_the_same_and_sends_no_more_mail(issue):
    confirmed(issue, "known@example.org")
    mail.outbox.clear()
    answers = []
    for address in ["known@example.org", "new@example.org", "new@example.org"]:
        response = subscribe(browser(), "/issues/arms/subscribe/", address)
        body = response.content.decode().replace(address, "ADDRESS")
        body = re.sub(r'nonce="[^"]+"', "", TOKEN.sub("", body))  # per response anyway
        answers.append((response.status_code, body))
    assert answers[0] == answers[1] == answers[2]
    # One confirmation for the new address; none for the confirmed one; no resend at once.
    assert [m.to for m in mail.outbox] == [["new@example.org"]]


def test_confirmation_mails_to_one_address_are_bounded(db):
    targets = factories.IssueFactory.create_batch(MAX_CONFIRMATIONS_PER_HOUR + 2)
    for target in targets:
        subscribe(browser(), f"/issues/{target.slug}/subscribe/", "victim@example.org")
    assert len(mail.outbox) == MAX_CONFIRMATIONS_PER_HOUR


def test_subscribe_posts_from_one_address_are_bounded(issue):
    client = browser()
    statuses = [
        subscribe(client, "/issues/arms/subscribe/", f"r{n}@example.org").status_code
        for n in range(POSTS_PER_HOUR + 1)
    ]
    assert statuses[:-1] == [200] * POSTS_PER_HOUR
    assert statuses[-1] == 429


def test_drafts_never_reach_a_digest(issue, editor):
    subscription = confirmed(issue)
    mail.outbox.clear()
    position = factories.PositionFactory(issue=issue, summary="Published wording")
    factories.PositionFactory(
        issue=issue, status=PublicationStatus.DRAFT, summary="zqxdraftposition"
    )
    edits.record_update(
        record=position,
        editor=editor,
        edit=edits.Edit(values={"summary": "zqxdraftedit"}, note="zqxdraftnote", as_draft=True),
        expected_version=position.version,
    )
    assert Draft.objects.filter(content_type=ContentType.objects.get_for_model(position)).exists()
    draft_issue = factories.IssueFactory(status=PublicationStatus.DRAFT, title="zqxdraftissue")
    Subscription.objects.create(
        email="reader@example.org",
        issue=draft_issue,
        confirmed_at=subscription.confirmed_at,
        digested_until=subscription.digested_until,
    )
    factories.PositionFactory(issue=draft_issue, summary="zqxdraftissueposition")
    assert send_digests().sent == 1
    (digest,) = mail.outbox
    everything = digest.subject + digest.body + digest.alternatives[0][0]
    assert "Published wording" in everything
    assert "zqx" not in everything

    # Only drafts since: nothing to send.
    mail.outbox.clear()
    factories.PositionFactory(issue=issue, status=PublicationStatus.DRAFT, summary="zqxlater")
    assert send_digests().sent == 0


def test_a_meeting_digest_carries_the_changes_of_its_issues(issue):
    meeting = factories.MeetingFactory(slug="talks", title="The talks")
    issue.meetings.add(meeting)
    client = browser()
    subscribe(client, "/meetings/talks/subscribe/", "m@example.org")
    path = link_in(mail.outbox[-1])
    client.post(path, {"csrfmiddlewaretoken": TOKEN.search(client.get(path).content.decode())[1]})
    assert Subscription.objects.get(meeting=meeting).confirmed
    mail.outbox.clear()
    factories.PositionFactory(issue=issue, summary="A position on the meeting's issue")
    factories.PositionFactory(summary="A position elsewhere")
    assert send_digests().sent == 1
    assert "A position on the meeting's issue" in mail.outbox[0].body
    assert "elsewhere" not in mail.outbox[0].body


def test_a_correction_recorded_later_but_dated_earlier_is_still_news(issue):
    subscription = confirmed(issue)
    mail.outbox.clear()
    position = factories.PositionFactory.build(issue=issue, summary="Backdated correction")
    position.country.save()
    position.source.save()
    position._history_date = subscription.confirmed_at - timedelta(days=30)
    position.save()
    assert send_digests().sent == 1
    assert "Backdated correction" in mail.outbox[0].body


def test_digests_take_the_same_queries_for_two_or_twenty_subscribers(issue):
    def run(count: int) -> int:
        Subscription.objects.all().delete()
        first = confirmed(issue, "first@example.org")
        Subscription.objects.bulk_create(
            Subscription(
                email=f"s{n}@example.org",
                issue=issue,
                confirmed_at=first.confirmed_at,
                digested_until=first.digested_until,
            )
            for n in range(count - 1)
        )
        factories.PositionFactory(issue=issue)
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as queries:
            assert send_digests().sent == count
        assert len(mail.outbox) == count
        return len(queries)

    assert run(2) == run(20)


def test_the_command_reports_what_it_sent(issue):
    confirmed(issue)
    factories.PositionFactory(issue=issue)
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert out.getvalue().startswith("1 digest sent")
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert out.getvalue().startswith("0 digests sent")


def test_unconfirmed_subscriptions_are_forgotten_once_their_link_expires(issue):
    subscribe(browser(), "/issues/arms/subscribe/", "never@example.org")
    later = Subscription.objects.get().confirmation_sent_at + tokens.CONFIRM_MAX_AGE
    assert send_digests(now=later - timedelta(minutes=1)).forgotten == 0
    assert send_digests(now=later + timedelta(minutes=1)).forgotten == 1
    assert not Subscription.objects.exists()


# Caching: the form on cached pages carries no token ---------------------------------------


def test_the_issue_page_offers_the_form_and_still_sets_no_cookie(issue):
    response = Client().get("/issues/arms/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'action="/issues/arms/subscribe/"' in body
    assert "csrfmiddlewaretoken" not in body
    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_the_meeting_page_offers_the_form_and_still_sets_no_cookie(db):
    factories.MeetingFactory(slug="talks")
    response = Client().get("/meetings/talks/")
    assert 'action="/meetings/talks/subscribe/"' in response.content.decode()
    assert not response.cookies


def test_a_post_from_the_cached_page_stores_nothing_and_asks_with_a_protected_form(issue):
    client = browser()
    response = client.post("/issues/arms/subscribe/", {"email": "a@example.org"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Send the confirmation link to this address?" in body
    assert 'value="a@example.org"' in body
    assert TOKEN.search(body)
    assert "csrftoken" in response.cookies
    assert not Subscription.objects.exists()
    assert mail.outbox == []
    # The same address, badly typed, is a form error there too.
    assert client.post("/issues/arms/subscribe/", {"email": "a@"}).status_code == 422


def test_a_post_with_a_wrong_csrf_token_is_refused(issue):
    response = browser().post(
        "/issues/arms/subscribe/", {"email": "a@example.org", "csrfmiddlewaretoken": "x" * 64}
    )
    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_the_subscription_pages_are_never_cached(issue):
    first = Client()
    first.cookies["csrftoken"] = "a" * 32  # a reader who already has a CSRF cookie
    page = first.get("/issues/arms/subscribe/")
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    other = Client().get("/issues/arms/subscribe/")
    assert TOKEN.search(other.content.decode())[1] != TOKEN.search(page.content.decode())[1]


def test_a_draft_issue_cannot_be_followed(db, editor_client):
    factories.IssueFactory(slug="hidden", status=PublicationStatus.DRAFT)
    assert Client().get("/issues/hidden/subscribe/").status_code == 404
    assert editor_client.get("/issues/hidden/subscribe/").status_code == 404
    assert Client().post("/issues/hidden/subscribe/", {"email": "a@b.org"}).status_code == 404


# The database's own rules --------------------------------------------------------------


def test_one_address_follows_a_target_once(issue):
    Subscription.objects.create(email="a@example.org", issue=issue)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(email="a@example.org", issue=issue)
    meeting = factories.MeetingFactory()
    Subscription.objects.create(email="a@example.org", meeting=meeting)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(email="a@example.org", meeting=meeting)


@pytest.mark.parametrize(
    "values",
    [
        {"issue": None, "meeting": None},
        {"both": True},
        {"email": "Upper@example.org"},
        {"email": ""},
        {"confirmed": True, "digested_until": None},
    ],
)
def test_the_database_refuses_an_inconsistent_subscription(issue, values):
    from django.utils import timezone

    row = Subscription(email=values.get("email", "a@example.org"), issue=issue)
    if "issue" in values:
        row.issue = None
    if values.get("both"):
        row.meeting = factories.MeetingFactory()
    if values.get("confirmed"):
        row.confirmed_at = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_the_back_office_lists_subscriptions_read_only(issue, superuser, client):
    confirmed(issue)
    client.force_login(superuser)
    assert client.get("/admin/subscriptions/subscription/").status_code == 200
    assert client.get("/admin/subscriptions/subscription/add/").status_code == 403
    pk = Subscription.objects.get().pk
    page = client.get(f"/admin/subscriptions/subscription/{pk}/change/")
    assert page.status_code == 200
    assert b"reader@example.org" in page.content


def test_the_pages_of_a_link_do_not_name_an_issue_no_longer_published(issue):
    subscription = Subscription.objects.create(email="a@example.org", issue=issue)
    issue.status = PublicationStatus.DRAFT
    issue.title = "zqxnowdraft"
    issue.save()
    for page, purpose in (("confirm", tokens.CONFIRM), ("unsubscribe", tokens.UNSUBSCRIBE)):
        response = Client().get(f"/subscriptions/{page}/{tokens.make(subscription, purpose)}/")
        assert response.status_code == 200
        assert "this issue" in response.content.decode()
        assert b"zqxnowdraft" not in response.content


def test_a_digest_lists_a_bounded_number_of_changes(issue):
    confirmed(issue)
    mail.outbox.clear()
    factories.PositionFactory.create_batch(DIGEST_LIMIT + 2, issue=issue)
    assert send_digests().sent == 1
    (digest,) = mail.outbox
    assert digest.subject == f"Arms & <control>: more than {DIGEST_LIMIT} changes"
    assert digest.body.count("\n* ") == DIGEST_LIMIT
    assert "More changes than fit here" in digest.body
