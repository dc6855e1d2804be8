"""User accounts: the first administrator, members of the editor, researcher and linker groups, staff status."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction


@dataclass(frozen=True)
class AdminResult:
    """What ensure_admin did: whether it created the account, and the password if it generated one."""

    username: str
    created: bool
    generated_password: str | None


def _create(create, *, username: str, password: str | None, email: str, dry_run: bool) -> AdminResult:
    """Create user `username` with `create(User, username, email, password)` unless the user exists; generate a
    strong password when none is given."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        return AdminResult(username=username, created=False, generated_password=None)
    generated = None
    if not password:
        generated = password = secrets.token_urlsafe(18)
    validate_password(password, User(username=username, email=email))
    with transaction.atomic():
        create(User, username, email, password)
        if dry_run:
            transaction.set_rollback(True)
    return AdminResult(username=username, created=True, generated_password=generated)


def ensure_admin(*, username: str, password: str | None, email: str = "", dry_run: bool = False) -> AdminResult:
    """Create superuser `username` unless it exists; generate a strong password when none is given."""

    def create(User, username, email, password):
        User.objects.create_superuser(username=username, email=email, password=password)

    return _create(create, username=username, password=password, email=email, dry_run=dry_run)


# The groups the migration creates; membership of any one of them is what a user needs to log in to the editing
# interface.
STAFF_GROUPS = ("editor", "researcher", "linker")


def sync_staff_status(user) -> bool:
    """Set `user.is_staff` from its groups (superusers always keep it) and return the new value.

    Group membership grants staff access, rather than the admin site accepting non-staff members: `is_staff` is
    what Django's login form, `staff_member_required` and every admin view already check, so keeping it equal to
    "is in a staff group" makes all of them agree, and the user list shows who can log in. An administrator can
    still untick "Staff status" to lock a member out until their groups next change.
    """
    staff = user.is_superuser or user.groups.filter(name__in=STAFF_GROUPS).exists()
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    return staff


def create_member(
    *, username: str, group: str, password: str | None, email: str = "", dry_run: bool = False
) -> AdminResult:
    """Create user `username` in `group` (unless the user exists); generate a strong password when none is given."""

    def create(User, username, email, password):
        user = User.objects.create_user(username=username, email=email, password=password)
        user.groups.add(Group.objects.get(name=group))  # staff status follows (see sync_staff_status)

    return _create(create, username=username, password=password, email=email, dry_run=dry_run)
