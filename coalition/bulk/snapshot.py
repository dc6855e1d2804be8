"""Reading several tables as they were at one moment."""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def one_moment(using: str = DEFAULT_DB_ALIAS):
    """Run the block in one read-only transaction, so every table it reads comes from the same moment.

    A snapshot on PostgreSQL (repeatable read); on SQLite the transaction holds off writers until the block ends.
    """
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield
