"""Indexes on (column, id) for the admin's filters and sorts: each list reads its pages from one end of one."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('coalition', '0007_list_indexes'),
    ]

    operations = [
        # The admin citations sorted by source.
        migrations.AddIndex(
            model_name='citation',
            index=models.Index(fields=['source', 'id'], name='ci_source_id_idx'),
        ),
        # The admin citations filtered or sorted by relation.
        migrations.AddIndex(
            model_name='citation',
            index=models.Index(fields=['relation', 'id'], name='ci_relation_id_idx'),
        ),
        # The admin commitments filtered (newest first) or sorted by summit.
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(fields=['summit', 'id'], name='cm_summit_id_idx'),
        ),
        # The admin commitments filtered by country, sorted by country or organisation.
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(fields=['country', 'id'], name='cm_country_id_idx'),
        ),
        # The admin commitments filtered by organisation.
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(fields=['organisation', 'id'], name='cm_organisation_id_idx'),
        ),
        # The admin commitments filtered or sorted by category.
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(fields=['category', 'id'], name='cm_category_id_idx'),
        ),
        # The admin commitments filtered or sorted by stance.
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(fields=['stance', 'id'], name='cm_stance_id_idx'),
        ),
        # The admin commitments filtered or sorted by status.
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(fields=['status', 'id'], name='cm_status_id_idx'),
        ),
        # The admin commitments sorted by sources.
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(fields=['source_count', 'id'], name='cm_source_count_id_idx'),
        ),
        # The admin commitments sorted by contradicting sources.
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(fields=['contradicting_count', 'id'], name='cm_contradicting_count_id_idx'),
        ),
        # The admin discrepancies filtered (newest first) or sorted by summit.
        migrations.AddIndex(
            model_name='discrepancy',
            index=models.Index(fields=['summit', 'id'], name='di_summit_id_idx'),
        ),
        # The admin discrepancies sorted by topic.
        migrations.AddIndex(
            model_name='discrepancy',
            index=models.Index(fields=['topic', 'id'], name='di_topic_id_idx'),
        ),
        # The admin discrepancies sorted by sources.
        migrations.AddIndex(
            model_name='discrepancy',
            index=models.Index(fields=['source_count', 'id'], name='di_source_count_id_idx'),
        ),
        # The admin discrepancies sorted by contradicting sources.
        migrations.AddIndex(
            model_name='discrepancy',
            index=models.Index(fields=['contradicting_count', 'id'], name='di_contradicting_count_id_idx'),
        ),
        # The admin sources filtered or sorted by outlet, and the outlet filter's values.
        migrations.AddIndex(
            model_name='source',
            index=models.Index(fields=['outlet', 'id'], name='so_outlet_id_idx'),
        ),
        # The admin sources filtered or sorted by language.
        migrations.AddIndex(
            model_name='source',
            index=models.Index(fields=['language', 'id'], name='so_language_id_idx'),
        ),
        # The admin sources sorted by publication date.
        migrations.AddIndex(
            model_name='source',
            index=models.Index(fields=['published_on', 'id'], name='so_published_on_id_idx'),
        ),
        # The admin sources sorted by citations.
        migrations.AddIndex(
            model_name='source',
            index=models.Index(fields=['citation_count', 'id'], name='so_citation_count_id_idx'),
        ),
        # The admin statements filtered (newest first) or sorted by summit.
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['summit', 'id'], name='st_summit_id_idx'),
        ),
        # The admin statements sorted by speaker.
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['speaker', 'id'], name='st_speaker_id_idx'),
        ),
        # The admin statements filtered or sorted by kind.
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['kind', 'id'], name='st_kind_id_idx'),
        ),
        # The admin statements sorted by date said.
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['said_on', 'id'], name='st_said_on_id_idx'),
        ),
        # The admin statements sorted by sources.
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['source_count', 'id'], name='st_source_count_id_idx'),
        ),
        # The admin statements sorted by contradicting sources.
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['contradicting_count', 'id'], name='st_contradicting_count_id_idx'),
        ),
    ]
