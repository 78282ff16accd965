"""Property-based fuzzing: hostile input to the forms, the address parameters and the
management commands is a 4xx or a form message, never a 500, and nothing is stored that
should not be. Example counts are modest so the suite stays fast."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from issues.models import Position
from tests.test_editing import assessment_data, position_data
from tests.test_limits import NEW_POSITION, OUTLOOK_EDIT

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PAYLOADS = [
    "\x00",
    "a\x00b",
    "' OR 1=1 --",
    "'; DROP TABLE issues_issue; --",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "\ud800",
    "\udfff\ud800",
    "%00%ff%fe",
    "9" * 40,
    "-1",
    "1e309",
    "2018-02-30",
    "99999-01-01",
    "\u202e\u0000\ufeff",
]

hostile = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=300),
    st.text(min_size=5_000, max_size=30_000, alphabet=st.characters(codec="utf-8")),
    st.integers().map(str),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
)


def quote(value: str) -> str:
    from urllib.parse import quote as q

    return q(value.encode("utf-8", "surrogatepass"), safe="")


@pytest.fixture
def fuzz_client():
    client = Client(raise_request_exception=False)
    return client


READER_PARAMS = [
    ("/issues/", "q"),
    ("/issues/", "topic"),
    ("/issues/", "posture"),
    ("/issues/", "date_from"),
    ("/search/", "q"),
    ("/compare/", "a"),
    ("/issues/fisheries/", "as_of"),
    ("/meetings/the-bilateral/", "as_of"),
]


@FUZZ
@given(value=hostile, target=st.sampled_from(READER_PARAMS))
def test_reader_parameters_never_500(one_outlook, fuzz_client, value, target):
    path, name = target
    response = fuzz_client.get(f"{path}?{name}={quote(value)}")
    assert response.status_code < 500, (path, name, value[:80])


@FUZZ
@given(
    value=hostile,
    field=st.sampled_from(
        ["summary", "quote", "attribution", "locator", "posture", "stated_on", "note", "country"]
    ),
)
def test_the_position_form_refuses_hostile_input_with_a_message(one_outlook, editor, value, field):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    before = Position.objects.count()
    data = position_data(**{field: value.replace("\ud800", "").replace("\udfff", "")})
    response = client.post(NEW_POSITION, data)
    assert response.status_code < 500, (field, value[:80])
    if response.status_code >= 400:
        assert Position.objects.count() == before
    else:
        saved = Position.objects.order_by("-pk").first()
        assert "\x00" not in saved.summary + saved.quote + saved.attribution
        assert len(saved.summary) <= 2000


@FUZZ
@given(
    value=hostile,
    field=st.sampled_from(
        ["rationale", "deliverable", "effect", "note", "version", "locator", "sources"]
    ),
)
def test_the_outlook_form_refuses_hostile_input_with_a_message(one_outlook, editor, value, field):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    assessment = one_outlook
    data = assessment_data(assessment, **{field: value.replace("\ud800", "").replace("\udfff", "")})
    response = client.post(OUTLOOK_EDIT, data)
    assert response.status_code < 500, (field, value[:80])
    assessment.refresh_from_db()
    assert "\x00" not in assessment.rationale and len(assessment.rationale) <= 5000


@FUZZ
@given(value=hostile)
def test_the_source_lookup_and_admin_search_never_500(one_outlook, superuser, value):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    for url in (
        f"/edit/sources/?source_query={quote(value)}",
        f"/admin/issues/position/?q={quote(value)}",
        f"/admin/issues/position/?stated_on__year={quote(value)}",
    ):
        assert client.get(url).status_code < 500, (url[:120],)


@FUZZ
@given(value=hostile)
def test_the_sign_in_and_reset_forms_never_500(db, value):
    client = Client(raise_request_exception=False)
    clean = value.replace("\ud800", "").replace("\udfff", "")
    assert client.post("/admin/login/", {"username": clean, "password": clean}).status_code < 500
    assert client.post("/account/password-reset/", {"email": clean}).status_code < 500


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=hostile)
def test_management_commands_refuse_malformed_arguments_with_a_message(db, value):
    clean = value.replace("\ud800", "").replace("\udfff", "")
    for command in ("load_demo", "create_editor"):
        try:
            call_command(command, clean, verbosity=0)
        except CommandError as error:
            assert str(error)
        else:
            pytest.fail(f"{command} accepted an unexpected argument {clean[:40]!r}")


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=hostile)
def test_create_editor_refuses_a_malformed_user_name_with_a_message(db, value, monkeypatch):
    from django.contrib.auth.models import User

    monkeypatch.setenv("EDITOR_PASSWORD", "a chosen passphrase")
    clean = value.replace("\ud800", "").replace("\udfff", "")
    users = User.objects.count()
    try:
        call_command("create_editor", f"--username={clean}", stdout=None, verbosity=0)
    except CommandError as error:
        assert "Not a valid user name" in str(error)
        # Counted, not looked up by name: PostgreSQL refuses a NUL even in a query.
        assert User.objects.count() == users
    else:
        stored = User.objects.get(username=clean)
        assert len(stored.username) <= 150 and "\x00" not in stored.username


@pytest.mark.parametrize("value", [str(2**63), str(-(2**63) - 1), "9" * 40])
def test_an_id_no_table_can_hold_is_an_invalid_choice_not_an_error(one_outlook, editor, value):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    assessment = one_outlook
    before = Position.objects.count()

    outlook = client.post(OUTLOOK_EDIT, assessment_data(assessment, sources=value))
    position = client.post(NEW_POSITION, position_data(source=value))

    assert outlook.status_code == 422
    assert "Select a valid choice" in outlook.content.decode() or value in outlook.content.decode()
    assert position.status_code == 422
    assert Position.objects.count() == before


@FUZZ
@given(value=hostile)
def test_subscription_forms_and_links_never_500(one_outlook, fuzz_client, value):
    """Hostile addresses in the subscribe form (from a cached page, without a token, and
    with one) and hostile links: a form message or a 4xx, never a 500."""
    form = "application/x-www-form-urlencoded"
    statuses = [
        fuzz_client.post(
            "/issues/fisheries/subscribe/", f"email={quote(value)}", content_type=form
        ).status_code,
        fuzz_client.post(
            "/issues/fisheries/subscribe/",
            f"email={quote(value)}&csrfmiddlewaretoken=x",
            content_type=form,
        ).status_code,
        fuzz_client.get(f"/subscriptions/confirm/{quote(value)}/").status_code,
        fuzz_client.post(f"/subscriptions/unsubscribe/{quote(value)}/").status_code,
    ]
    assert all(status < 500 for status in statuses), statuses
