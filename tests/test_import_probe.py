"""Batched imports under attack: one record named twice in other spellings, clashes that are not the import key,
stale or forged versions, dry runs and refusals that must leave counts, triggers and the data version alone."""

import io

import pytest
from django.db import connection

from coalition import aggregates, csvfile, models
from coalition.aggregates import _installed
from coalition.formats import CSV
from coalition.importers import ImportRefused, import_dataset
from coalition.readers import FileRefused
from coalition.resources import CitationResource, CommitmentResource, ParticipantResource

from . import factories

pytestmark = pytest.mark.django_db

PARTICIPANTS = "summit,country,organisation,role,level,representatives,notes"
CITATIONS = "summit,subject_type,subject,source,quote,relation,note,start"
COMMITMENTS = "summit,slug,country,organisation,category,stance,condition,status,description,document,notes"


def dataset(header: str, *lines: str):
    return CSV().create_dataset("\n".join([header, *lines]) + "\n")


def refused(resource_class, header: str, *lines: str) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        import_dataset(resource_class, dataset(header, *lines), label="file.csv")
    return caught.value.messages


def commitment_lines(count: int, *, status: str = "announced") -> list[str]:
    return [f"paris-2026,c-{n},IT,,troops,pledge,,{status},Troops number {n}.,," for n in range(count)]


@pytest.fixture
def summit():
    return factories.SummitFactory(slug="paris-2026")


@pytest.fixture
def italy():
    return models.Country.objects.get(code="IT")


def written_state() -> tuple:
    """Return what an import may change: every count, the triggers, the data version, history rows."""
    return (
        list(models.Summit.objects.order_by("pk").values_list("commitment_count", "participant_count")),
        list(models.StanceTally.objects.order_by("pk").values_list("summit", "country", "commitment_count")),
        set(_installed(connection)),
        aggregates.data_state(),
        models.Commitment.history.model.objects.count(),
        models.Commitment.objects.count(),
    )


@pytest.mark.parametrize("batch_size", [1000, 1])
def test_one_country_named_twice_in_other_cases_is_the_same_record_twice(summit, italy, monkeypatch, batch_size):
    monkeypatch.setattr(ParticipantResource, "batch_size", batch_size)
    messages = refused(
        ParticipantResource, PARTICIPANTS, "paris-2026,IT,,member,head,,first", "paris-2026,it,,member,head,,second"
    )
    assert messages and all(message.startswith("line 3") for message in messages), messages
    assert not models.Participant.objects.exists()


@pytest.mark.parametrize("batch_size", [1000, 1])
def test_a_saved_participant_updated_by_two_spellings_of_its_key_is_refused(summit, italy, monkeypatch, batch_size):
    monkeypatch.setattr(ParticipantResource, "batch_size", batch_size)
    participant = factories.ParticipantFactory(summit=summit, country=italy, organisation=None, notes="kept")
    messages = refused(
        ParticipantResource, PARTICIPANTS, "paris-2026,IT,,member,head,,first", "paris-2026,it,,member,head,,second"
    )
    assert messages and all(message.startswith("line 3") for message in messages), messages
    participant.refresh_from_db()
    assert participant.notes == "kept"


@pytest.fixture
def cited():
    """A commitment and a source whose text holds “Troops” and “Troops will” at the same character."""
    commitment = factories.CommitmentFactory(summit__slug="paris-2026", slug="c-1")
    source = factories.SourceFactory(text="Troops will be sent in spring. Troops will stay.")
    return commitment, source


def test_two_quotes_at_the_same_start_clash_on_the_subject_source_start_constraint(cited):
    _, source = cited
    key = f"paris-2026,commitment,c-1,{source.file_name}"
    messages = refused(CitationResource, CITATIONS, f"{key},Troops,supports,,0", f"{key},Troops will,supports,,0")
    assert messages[0] == "line 3: This quote is already cited for this commitment."
    assert not models.Citation.objects.exists()
    assert aggregates.mismatches() == []


def test_a_saved_citation_named_with_and_without_its_start_is_the_same_record_twice(cited):
    commitment, source = cited
    citation = factories.CitationFactory(commitment=commitment, source=source, quote="Troops will", note="kept")
    assert citation.start == 0
    key = f"paris-2026,commitment,c-1,{source.file_name},Troops will,supports"
    messages = refused(CitationResource, CITATIONS, f"{key},first,", f"{key},second,0")
    assert messages and all(message.startswith("line 3") for message in messages), messages
    citation.refresh_from_db()
    assert citation.note == "kept"


def test_a_version_cell_edited_by_hand_is_refused_and_nothing_is_written(summit):
    import_dataset(CommitmentResource, dataset(COMMITMENTS, *commitment_lines(3)), label="file.csv")
    exported = CSV().export_data(CommitmentResource().export()).splitlines()
    assert exported[0].endswith(",version")
    exported[2] = exported[2].replace("announced", "withdrawn").rsplit(",", 1)[0] + ",0123456789abcdef"
    exported[3] = exported[3].replace("announced", "withdrawn")
    before = written_state()
    with pytest.raises(ImportRefused) as caught:
        import_dataset(CommitmentResource, CSV().create_dataset("\n".join(exported) + "\n"), label="file.csv")
    [message] = caught.value.messages
    assert message.startswith("line 3, column “version”: changed since the file was exported (or the version cell")
    assert written_state() == before
    assert set(models.Commitment.objects.values_list("status", flat=True)) == {"announced"}


def test_a_file_exported_before_an_edit_is_refused_in_a_later_batch(summit, monkeypatch):
    monkeypatch.setattr(CommitmentResource, "batch_size", 2)
    import_dataset(CommitmentResource, dataset(COMMITMENTS, *commitment_lines(6)), label="file.csv")
    exported = CSV().export_data(CommitmentResource().export())
    edited = models.Commitment.objects.get(slug="c-5")
    edited.notes = "Edited in the admin."
    edited.save()
    with pytest.raises(ImportRefused) as caught:
        import_dataset(
            CommitmentResource, CSV().create_dataset(exported.replace("announced", "fulfilled")), label="file.csv"
        )
    [message] = caught.value.messages
    assert message.startswith("line 7, column “version”: changed since the file was exported: notes")
    assert set(models.Commitment.objects.values_list("status", flat=True)) == {"announced"}
    assert aggregates.mismatches() == []


def test_a_dry_run_leaves_rows_history_triggers_counts_and_version_alone(summit):
    before = written_state()
    result = import_dataset(CommitmentResource, dataset(COMMITMENTS, *commitment_lines(30)), label="f", dry_run=True)
    assert result.totals["new"] == 30
    assert written_state() == before and aggregates.mismatches() == []


def test_a_refusal_in_the_last_batch_of_a_big_file_leaves_everything_as_it_was(summit, monkeypatch):
    monkeypatch.setattr(CommitmentResource, "batch_size", 7)
    import_dataset(CommitmentResource, dataset(COMMITMENTS, *commitment_lines(10)), label="file.csv")
    before = written_state()
    lines = commitment_lines(50, status="fulfilled") + ["paris-2026,bad,IT,,troops,conditional,,announced,No.,,"]
    messages = refused(CommitmentResource, COMMITMENTS, *lines)
    assert messages == ["line 52: A conditional commitment needs its condition."]
    assert written_state() == before and aggregates.mismatches() == []


def test_an_import_moves_the_data_version_and_keeps_every_count_right(summit, monkeypatch):
    monkeypatch.setattr(CommitmentResource, "batch_size", 7)
    version = aggregates.data_state().version
    import_dataset(CommitmentResource, dataset(COMMITMENTS, *commitment_lines(20)), label="file.csv")
    import_dataset(CommitmentResource, dataset(COMMITMENTS, *commitment_lines(25, status="fulfilled")), label="f")
    assert aggregates.data_state().version >= version + 2 and aggregates.mismatches() == []
    summit.refresh_from_db()
    assert summit.commitment_count == 25


def csv_outcome(data: bytes):
    """Return the rows of `data` as `import_tables` reads them, or the messages it is refused with."""
    try:
        rows = csvfile.CsvRows(io.BytesIO(data))
        found = list(rows)
        rows.finish()
        return found
    except FileRefused as error:
        return error.messages


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 1 << 20])
def test_crlf_bom_and_quotes_read_the_same_whatever_the_chunk(monkeypatch, chunk):
    monkeypatch.setattr(csvfile, "CHUNK", chunk)
    data = '\ufeffa,b\r\n"x\r\ny",2\r\n"q""",é\r\n'.encode()
    assert csv_outcome(data) == [{"a": "x\r\ny", "b": "2"}, {"a": 'q"', "b": "é"}]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty"),
        (b"\xef\xbb\xbf\r\n", "The file is empty"),
        (b"a,b\r\n1,2", "line 2, column “b”: the file does not end with a line break"),
        (b'a,b\r\n1,"2\r\n', "line 2, cell 2: a quote opens the cell and is never closed"),
        (b"a,b\r\n1,x\x00y\r\n", "line 2, column “b”"),
        (b"a,b\r\n1,=HYPERLINK(1)\r\n", "line 2, column “b”"),
        (b"a,b\r\n1,2\r\n1,2\r", "line 3, cell 2: a carriage return"),
    ],
)
def test_broken_files_are_refused_with_their_line(data, expected):
    messages = csv_outcome(data)
    assert isinstance(messages[0], str) and messages[0].startswith(expected), messages


def test_a_header_only_file_imports_nothing(summit):
    result = import_dataset(CommitmentResource, csvfile.read_csv(COMMITMENTS + "\n"), label="file.csv")
    assert result.totals["new"] == 0 and aggregates.mismatches() == []


def test_a_huge_cell_is_refused_with_its_line_and_column(settings):
    settings.COALITION_IMPORT_MAX_CELL_CHARACTERS = 1000
    messages = csv_outcome(b"a,b\r\n1," + b"x" * 5000 + b"\r\n")
    assert messages[0].startswith("line 2, column “b”")


def test_the_admin_preview_of_a_big_file_shows_a_hundred_rows_and_counts_them_all(client, editor, summit):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(editor)
    content = "\n".join([COMMITMENTS, *commitment_lines(150)]) + "\n"
    preview = client.post(
        reverse("admin:coalition_commitment_import"),
        {"format": "0", "import_file": SimpleUploadedFile("c.csv", content.encode())},
    )
    result = preview.context["result"]
    assert result.totals["new"] == 150 and len(result.rows) == 100
    assert not models.Commitment.objects.exists()
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    client.post(reverse("admin:coalition_commitment_process_import"), data)
    assert models.Commitment.objects.count() == 150 and aggregates.mismatches() == []
    again = client.post(reverse("admin:coalition_commitment_process_import"), data)
    assert again.status_code in (200, 302) and models.Commitment.objects.count() == 150


if connection.vendor == "postgresql":
    # SQLite has one writer at a time, and Django's in-memory test database one connection: only PostgreSQL can
    # show a save in another connection waiting for an import.

    # Committed rows, as the suite's other transactional tests have them: the migrations' rows (countries, content
    # types) are put back after the flush.
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_save_during_an_import_waits_for_it_and_both_are_counted(monkeypatch):
        import threading

        from django.db import connections

        summit = factories.SummitFactory(slug="paris-2026")
        monkeypatch.setattr(CommitmentResource, "batch_size", 5)
        first_batch, go_on, saved = threading.Event(), threading.Event(), threading.Event()
        write_batch = CommitmentResource.write_batch

        def pausing(self, pending):
            write_batch(self, pending)
            first_batch.set()
            go_on.wait(30)

        monkeypatch.setattr(CommitmentResource, "write_batch", pausing)
        failures = []

        def run(work):
            try:
                work()
            except Exception as error:  # reported by the test below
                failures.append(error)
            finally:
                connections.close_all()

        def save():
            factories.CommitmentFactory(summit=summit, slug="by-hand")
            saved.set()

        importing = threading.Thread(
            target=run,
            args=(lambda: import_dataset(CommitmentResource, dataset(COMMITMENTS, *commitment_lines(12)), label="f"),),
        )
        importing.start()
        assert first_batch.wait(30)
        saving = threading.Thread(target=run, args=(save,))
        saving.start()
        assert not saved.wait(1)  # the import holds the counted tables
        go_on.set()
        importing.join(60)
        saving.join(60)
        assert failures == [] and saved.is_set()
        assert models.Commitment.objects.count() == 13 and aggregates.mismatches() == []
        summit.refresh_from_db()
        assert summit.commitment_count == 13
