"""The task queue's own admin (django-tasks-db) is left out: it speaks English only and shows raw task arguments
(e-mail addresses among them); staff follow their work on the job pages, in Chinese."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
