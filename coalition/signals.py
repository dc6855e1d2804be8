"""Receivers that keep derived data right even when records are loaded raw (fixtures)."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from .models import Source


@receiver(pre_save, sender=Source)
def read_seed_text(sender, instance: Source, raw: bool, **kwargs):
    """Fill a source's text from the seeds folder when it is empty, fingerprint it, and refuse to change a cited one.

    Runs for fixtures too (raw saves), so the seed files stay the one copy of the text and no path — form, import,
    fixture or a plain save() — can change the text under its quotes; each raises ValidationError instead.
    """
    instance.fill_text()
    instance.refuse_text_change()
