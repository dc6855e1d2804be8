"""Realistic synthetic data at any size, for benchmarks: summits over the years and everything recorded of them.

Run through `python manage.py generate_data --commitments N --database NAME`. Countries come from the real table;
organisations too, with invented ones added when there are few; every citation quotes its article verbatim.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .. import aggregates
from ..bulk.progress import progress as progress_bar
from ..models import (
    Citation,
    Commitment,
    Country,
    Discrepancy,
    Document,
    Organisation,
    Participant,
    Person,
    Signatory,
    Source,
    Statement,
    Summit,
)
from . import words
from .articles import GENERATED_NOTE
from .summits import Quota, Representatives, World, build_summit
from .writer import Writer

COMMITMENTS_PER_SUMMIT = 5000
MIN_ORGANISATIONS = 12
PEOPLE_PER_ACTOR = 3
FIRST_DAY, DAYS = date(1995, 1, 1), 31 * 365
# Parents before children: the order rows are written in.
MODELS = [
    Organisation, Person, Summit, Participant, Representatives, Document, Signatory, Commitment, Statement,
    Discrepancy, Source, Citation,
]  # fmt: skip


class Refused(Exception):
    """The named database may not be written to; the message says why."""


def database_matches(name: str, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Return True if `name` is the configured database's name (for SQLite: its file's path or its file name)."""
    configured = str(connections[using].settings_dict["NAME"])
    if connections[using].vendor == "sqlite":
        return name in {configured, Path(configured).name} or Path(name).resolve() == Path(configured).resolve()
    return name == configured


def check_target(name: str, *, append: bool, using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise Refused unless `name` names the configured database and it holds no real records (or `append`)."""
    configured = connections[using].settings_dict["NAME"]
    if not database_matches(name, using):
        raise Refused(
            f"--database {name} is not the configured database ({configured}): nothing written. "
            "Set DATABASE_URL to the database to fill and repeat its name here."
        )
    real = Summit.objects.using(using).exclude(notes=GENERATED_NOTE).exists()
    real = real or Source.objects.using(using).exclude(notes=GENERATED_NOTE).exists()
    if real and not append:
        raise Refused(
            f"{configured} holds summits or sources that were not generated: nothing written. "
            "Use another database, or --append to add generated data beside them."
        )


@dataclass
class Generated:
    """What a run wrote: rows per model, and how long it took."""

    created: dict = field(default_factory=dict)
    seconds: float = 0.0
    dry_run: bool = False

    def __str__(self):
        made = ", ".join(f"{count:,} {model._meta.verbose_name_plural}" for model, count in self.created.items())
        prefix = "[dry run, rolled back] " if self.dry_run else ""
        return f"{prefix}created {made}; updated 0, skipped 0 in {self.seconds:.1f} s"


def _share(total: int, parts: int, index: int) -> int:
    return total // parts + (1 if index < total % parts else 0)


def _world(writer: Writer, rng: random.Random, using: str) -> World:
    codes = list(Country.objects.using(using).order_by("code").values_list("code", "name"))
    rng.shuffle(codes)  # the rank of each country, from the busiest on
    organisations = list(Organisation.objects.using(using).order_by("pk").values_list("pk", "name"))
    taken = {name for _, name in organisations}
    for number, name in enumerate(words.organisation_names(MIN_ORGANISATIONS * 2)):
        if len(organisations) >= MIN_ORGANISATIONS:
            break
        if name not in taken:
            slug = f"synthetic-organisation-{number}"
            kind = rng.choice(Organisation.Kind.values)
            organisation = writer.add(Organisation(name=name, slug=slug, kind=kind, notes=GENERATED_NOTE))
            organisations.append((organisation.pk, name))
    people: dict = {}
    for pk, key_country, key_organisation in (
        Person.objects.using(using).filter(notes=GENERATED_NOTE).values_list("pk", "country", "organisation")
    ):
        people.setdefault(key_country or key_organisation, []).append(pk)
    if not people:
        actors = [("country", code) for code, _ in codes] + [("organisation", pk) for pk, _ in organisations]
        taken = set(Person.objects.using(using).values_list("name", flat=True))
        names = iter(n for n in words.person_names(rng, len(actors) * PEOPLE_PER_ACTOR * 2) if n not in taken)
        for kind, key in actors:
            for _ in range(PEOPLE_PER_ACTOR):
                person = writer.add(
                    Person(
                        name=next(names), office=rng.choice(words.OFFICES), notes=GENERATED_NOTE, **{f"{kind}_id": key}
                    )
                )
                people.setdefault(key, []).append(person.pk)
    return World(countries=codes, organisations=organisations, people=people, first_day=FIRST_DAY, days=DAYS)


def generate(
    commitments: int,
    *,
    seed: int = 1,
    dry_run: bool = False,
    batch: int = 5000,
    using: str = DEFAULT_DB_ALIAS,
    report: Callable[[str], None] = print,
    progress: bool | None = None,
) -> Generated:
    """Write synthetic data with `commitments` commitments (and statements, discrepancies… in proportion).

    `progress` shows a bar of the commitments written: None on a terminal only, True always, False never.
    """
    # Two streams, so that a second run with the same seed makes the same summits whether or not it had to make
    # the people and organisations first.
    rng, world_rng = random.Random(f"{seed}-summits"), random.Random(seed)
    summits = max(1, round(commitments / COMMITMENTS_PER_SUMMIT))
    statements, discrepancies = commitments // 10, commitments // 100
    started = time.perf_counter()
    with (
        transaction.atomic(using=using),
        progress_bar(commitments, desc="generate_data", unit="commitments", show=progress) as bar,
    ):
        with aggregates.bulk_load(using):
            writer = Writer(
                MODELS,
                using=using,
                batch=batch,
                report=report,
                written=lambda model, rows: bar.update(rows) if model is Commitment else None,
            )
            world = _world(writer, world_rng, using)
            first = Summit.objects.using(using).filter(notes=GENERATED_NOTE).count() + 1
            report(f"{summits} summits, {commitments:,} commitments, {statements:,} statements, {discrepancies:,} …")
            for index in range(summits):
                quota = Quota(*(_share(total, summits, index) for total in (commitments, statements, discrepancies)))
                build_summit(writer, rng, world, number=first + index, position=index / summits, quota=quota)
            writer.finish()
            for model in MODELS:
                report(f"  {writer.progress_line(model)}")
            recount = time.perf_counter()
            # Counted while the triggers are away: recounted with them in place, every changed row would fire its
            # own row's trigger (and on PostgreSQL a statement trigger moving the data version) once per row.
            aggregates.rebuild(using)
            report(f"counted in {time.perf_counter() - recount:.1f} s; putting the count triggers back …")
            recount = time.perf_counter()
        report(f"  triggers back and counts checked in {time.perf_counter() - recount:.1f} s")
        if dry_run:
            transaction.set_rollback(True, using=using)
    if not dry_run and connections[using].vendor == "postgresql" and not connections[using].in_atomic_block:
        # What autovacuum would do later: mark the new rows visible to all, so index-only scans skip the table
        # (VACUUM cannot run inside a caller's transaction: then autovacuum does it).
        with connections[using].cursor() as cursor:
            for model in MODELS:
                cursor.execute(f"VACUUM (ANALYZE) {connections[using].ops.quote_name(model._meta.db_table)}")
    return Generated(created=dict(writer.written), seconds=time.perf_counter() - started, dry_run=dry_run)
