from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = "Dossiers"

    def ready(self) -> None:
        from .caching import connect_receivers
        from .labels import forget_labels
        from .models import ScaleLabel

        # A reworded label shows on the next page, whichever worker serves it.
        post_save.connect(forget_labels, sender=ScaleLabel, dispatch_uid="labels-saved")
        post_delete.connect(forget_labels, sender=ScaleLabel, dispatch_uid="labels-deleted")
        # Any change to a dossier record makes every cached reader page stale at once.
        connect_receivers()
