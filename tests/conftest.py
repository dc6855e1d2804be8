import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-test-password")


def _member_of(django_user_model, group_name):
    user = django_user_model.objects.create_user(group_name, password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(django_user_model):
    return _member_of(django_user_model, "editor")


@pytest.fixture
def researcher(django_user_model):
    return _member_of(django_user_model, "researcher")


@pytest.fixture
def linker(django_user_model):
    return _member_of(django_user_model, "linker")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    # Tests do not run collectstatic, so the hashed-manifest storage used in production has no manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
