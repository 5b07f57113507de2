from django.apps import AppConfig


class BackupsConfig(AppConfig):
    # No models and no pages: only the backup and restore commands, which operators read in English.
    name = "backups"
