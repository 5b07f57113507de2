"""Completing the human tasks of a flow safely: claimed, permitted, once, under the flow lock."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards.services import ApplicationError

OPEN_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED)


class TaskNotOpen(ApplicationError):
    """The task was completed or cancelled already, e.g. by a second click."""


def task_complete(*, task: Task, user, action: Callable[[], object]) -> None:
    """Claim the task if it is still in a queue, run the domain action and advance the flow, under the flow lock."""
    with task.activation() as activation:
        if activation.task.status not in OPEN_TASK_STATUSES:
            raise TaskNotOpen(_("This task has already been completed."))
        if activation.task.status == STATUS.NEW:
            if not activation.flow_task.can_assign(user, activation.task):
                raise PermissionDenied
            activation.assign(user)
        if not activation.flow_task.can_execute(user, activation.task):
            raise PermissionDenied
        activation.start(None)
        action()
        activation.execute()


def can_work_on(task: Task, user) -> bool:
    """May the user open this task: it is theirs, or it waits in a queue they may take from."""
    if task.status == STATUS.ASSIGNED:
        return task.owner_id == user.pk
    if task.status == STATUS.NEW:
        return task.flow_task.can_assign(user, task)
    return False
