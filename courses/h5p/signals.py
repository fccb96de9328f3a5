from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import H5PContent, H5PLibrary
from .storage import delete_files


@receiver(post_delete, sender=H5PContent)
@receiver(post_delete, sender=H5PLibrary)
def delete_stored_files(sender, instance, **kwargs):
    prefix, names = instance.storage_prefix, list(instance.manifest)
    transaction.on_commit(lambda: delete_files(prefix, names), robust=True)
