from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    """Readers following an issue or a meeting by e-mail. Not dossier records: no revisions,
    no dossier files, and a subscription does not make cached reader pages stale."""

    name = "subscriptions"
    verbose_name = "E-mail subscriptions"
