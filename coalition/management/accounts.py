"""What the account commands (ensure_admin, add_user) print: one report for both."""

import os
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ..accounts import AdminResult


def create_and_report(
    command: BaseCommand,
    create: Callable[..., AdminResult],
    *,
    username: str,
    kind: str,
    variable: str,
    dry_run: bool,
    exists_hint: str = "",
) -> None:
    """Run `create` with the password from the environment `variable` and print created/skipped and the password."""
    try:
        result = create(password=os.environ.get(variable) or None, dry_run=dry_run)
    except ValidationError as error:
        raise CommandError(f"{variable} is too weak: {' '.join(error.messages)}") from error
    prefix = "[dry run] " if dry_run else ""
    if not result.created:
        command.stdout.write(
            f"{prefix}created 0, updated 0, skipped 1: the account “{username}” already exists{exists_hint}."
        )
        return
    command.stdout.write(f"{prefix}created 1, updated 0, skipped 0: {kind} account “{username}”.")
    if result.generated_password:
        command.stdout.write(
            command.style.WARNING(
                f"{prefix}Log in as “{username}” with the password: {result.generated_password}\n"
                "It is shown only this once."
            )
        )
    else:
        command.stdout.write(f"{prefix}Log in as “{username}” with the password in {variable}.")
