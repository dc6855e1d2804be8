"""Plain source file names (a validator and a check constraint), source texts kept in history, notes help texts.

The history of sources did not keep their text until now. The history rows that exist get the source's CURRENT
text, not an empty one: before this migration a revert from history never touched the text, and texts that
quotes cite never change, so the current text is what each of those versions had as far as anyone can tell —
and an empty text would make reverting to such a row empty the article (refused, or read again from the seeds
folder). Rows of sources deleted since stay empty: their text is gone.

A database with a file name that is not plain (e.g. “../README.md”, stored before names were checked) is
refused with the names to fix first, rather than failing on the constraint without saying which row.
"""

import re

import django.core.validators
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

# As in coalition/models/sources.py at the time of this migration.
FILE_NAME_PATTERN = r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z"


def refuse_unsafe_file_names(apps, schema_editor):
    Source = apps.get_model("coalition", "Source")
    names = Source.objects.values_list("file_name", flat=True)
    unsafe = [name for name in names if not re.search(FILE_NAME_PATTERN, name)]
    if unsafe:
        raise RuntimeError(
            "These sources' file names are not plain file names (letters, digits, “.”, “_”, “-”, starting with a "
            f"letter or digit): {', '.join(map(repr, unsafe))}. Rename or delete them, then migrate again."
        )


def copy_current_texts_into_history(apps, schema_editor):
    Source = apps.get_model("coalition", "Source")
    HistoricalSource = apps.get_model("coalition", "HistoricalSource")
    current = Source.objects.filter(pk=OuterRef("id")).values("text")[:1]
    HistoricalSource.objects.update(text=Coalesce(Subquery(current), Value("")))


class Migration(migrations.Migration):

    dependencies = [
        ('coalition', '0003_groups'),
    ]

    operations = [
        migrations.RunPython(refuse_unsafe_file_names, migrations.RunPython.noop),
        migrations.AddField(
            model_name='historicalsource',
            name='text',
            field=models.TextField(blank=True, help_text='The full article text, verbatim. Quotes are checked against it character for character. For a seed article it is read from the seeds folder; leave it empty there. Once a quote cites it, it cannot change.', verbose_name='text'),
        ),
        migrations.RunPython(copy_current_texts_into_history, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='citation',
            name='note',
            field=models.CharField(blank=True, help_text="Shown to the public with the quote (it is not an editorial note): what this source's version says, in a few words — useful for discrepancies.", max_length=500, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='country',
            name='notes',
            field=models.TextField(blank=True, help_text='Editorial notes; not shown to the public. Anything editors should know.', verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='historicalcitation',
            name='note',
            field=models.CharField(blank=True, help_text="Shown to the public with the quote (it is not an editorial note): what this source's version says, in a few words — useful for discrepancies.", max_length=500, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='historicalcountry',
            name='notes',
            field=models.TextField(blank=True, help_text='Editorial notes; not shown to the public. Anything editors should know.', verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='historicalsource',
            name='file_name',
            field=models.CharField(db_index=True, help_text="Name of the article's text file in the seeds folder, e.g. “000_3c7132a909154011.txt”: letters, digits, “.”, “_” and “-” only. It identifies the source in fixtures and spreadsheets.", max_length=200, validators=[django.core.validators.RegexValidator('\\A[A-Za-z0-9][A-Za-z0-9._-]*\\Z', 'A file name is a plain name such as “000_3c7132a909154011.txt”: letters, digits, “.”, “_” and “-”, starting with a letter or a digit — no folder, no “/” or “\\”, no leading dot.', code='invalid_file_name')], verbose_name='file name'),
        ),
        migrations.AlterField(
            model_name='historicalsource',
            name='notes',
            field=models.TextField(blank=True, help_text='Editorial notes; not shown to the public. E.g. what the article does not say (outlet, author, date…) and why those fields stay empty.', verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='source',
            name='file_name',
            field=models.CharField(help_text="Name of the article's text file in the seeds folder, e.g. “000_3c7132a909154011.txt”: letters, digits, “.”, “_” and “-” only. It identifies the source in fixtures and spreadsheets.", max_length=200, unique=True, validators=[django.core.validators.RegexValidator('\\A[A-Za-z0-9][A-Za-z0-9._-]*\\Z', 'A file name is a plain name such as “000_3c7132a909154011.txt”: letters, digits, “.”, “_” and “-”, starting with a letter or a digit — no folder, no “/” or “\\”, no leading dot.', code='invalid_file_name')], verbose_name='file name'),
        ),
        migrations.AlterField(
            model_name='source',
            name='notes',
            field=models.TextField(blank=True, help_text='Editorial notes; not shown to the public. E.g. what the article does not say (outlet, author, date…) and why those fields stay empty.', verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='source',
            name='text',
            field=models.TextField(blank=True, help_text='The full article text, verbatim. Quotes are checked against it character for character. For a seed article it is read from the seeds folder; leave it empty there. Once a quote cites it, it cannot change.', verbose_name='text'),
        ),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.CheckConstraint(condition=models.Q(('file_name__regex', '\\A[A-Za-z0-9][A-Za-z0-9._-]*\\Z')), name='source_file_name_is_plain', violation_error_message='A file name is a plain name such as “000_3c7132a909154011.txt”: letters, digits, “.”, “_” and “-”, starting with a letter or a digit — no folder, no “/” or “\\”, no leading dot.'),
        ),
    ]
