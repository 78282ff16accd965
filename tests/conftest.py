import pytest
from django.contrib.auth.models import Group

from tests import factories


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Hashed static names need `collectstatic`; tests serve the source files instead.
    (`test_deployment.py` checks that the hashed, compressed build works.)"""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fresh_label_cache():
    from issues.labels import forget_labels

    forget_labels()
    yield
    forget_labels()


@pytest.fixture
def editor(db):
    user = factories.UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def reader(db):
    """A signed-in user who is not an editor."""
    return factories.UserFactory(username="reader")


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def demo(db):
    from issues.demo import demo_load

    demo_load()
