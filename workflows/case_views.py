"""Task screens of the revocation flow, for the award committee."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates import services
from certificates.models import RevocationCase
from workflows.tasks import TaskNotOpen, task_complete


class CaseDecisionForm(forms.Form):
    revoke = forms.TypedChoiceField(
        label=gettext_lazy("Decision"),
        widget=forms.RadioSelect,
        choices=[("no", gettext_lazy("Restore the title")), ("yes", gettext_lazy("Revoke the title"))],
        coerce=lambda value: value == "yes",
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class AppealDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=gettext_lazy("Decision on the appeal"),
        widget=forms.RadioSelect,
        choices=[
            ("yes", gettext_lazy("Uphold: restore the title")),
            ("no", gettext_lazy("Dismiss: the revocation stands")),
        ],
        coerce=lambda value: value == "yes",
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


def _case(task) -> RevocationCase:
    return (
        RevocationCase.objects.select_related("certificate__enterprise", "certificate__program", "opened_by")
        .prefetch_related("records")
        .get(process__pk=task.process_id)
    )


def _screen(request, task, form, action, success: str):
    case = _case(task)
    if request.method == "POST" and form.is_valid():
        try:
            task_complete(task=task, user=request.user, action=lambda: action(case, form.cleaned_data))
        except TaskNotOpen as error:
            messages.info(request, error.messages[0])
            return redirect("workflows:inbox")
        except services.CaseError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, success)
            return redirect("workflows:inbox")
    return render(
        request,
        "workflows/case_task.html",
        {"task": task, "case": case, "form": form, "ready": services.case_ready_for_decision(case)},
    )


def decide(request, task):
    return _screen(
        request,
        task,
        CaseDecisionForm(request.POST or None),
        lambda case, data: services.case_decide(
            case=case, user=request.user, revoke=data["revoke"], reason=data["reason"]
        ),
        _("The committee's decision on the case is recorded."),
    )


def decide_appeal(request, task):
    return _screen(
        request,
        task,
        AppealDecisionForm(request.POST or None),
        lambda case, data: services.appeal_decide(
            case=case, user=request.user, upheld=data["upheld"], reason=data["reason"]
        ),
        _("The decision on the appeal is recorded."),
    )


HANDLERS = {"decide": decide, "decide_appeal": decide_appeal}

