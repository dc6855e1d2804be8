"""Creating the first administrator account without any fixed default password."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction


@dataclass(frozen=True)
class AdminResult:
    """What ensure_admin did: whether it created the account, and the password if it generated one."""

    username: str
    created: bool
    generated_password: str | None


def ensure_admin(*, username: str, password: str | None, email: str = "", dry_run: bool = False) -> AdminResult:
    """Create superuser `username` unless it exists; generate a strong password when none is given."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        return AdminResult(username=username, created=False, generated_password=None)
    generated = None
    if not password:
        generated = password = secrets.token_urlsafe(18)
    validate_password(password, User(username=username, email=email))
    with transaction.atomic():
        User.objects.create_superuser(username=username, email=email, password=password)
        if dry_run:
            transaction.set_rollback(True)
    return AdminResult(username=username, created=True, generated_password=generated)
