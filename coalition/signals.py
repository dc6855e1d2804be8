"""Receivers that keep derived data right even when records are loaded raw (fixtures)."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from .models import Source


@receiver(pre_save, sender=Source)
def read_seed_text(sender, instance: Source, raw: bool, **kwargs):
    """Fill a source's text from the seeds folder when it is empty, and fingerprint it.

    Runs for fixtures too (raw saves), so the seed files stay the one copy of the text.
    """
    instance.fill_text()
