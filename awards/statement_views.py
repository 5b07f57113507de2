"""The right to be heard (陈述申辩): the enterprise's statement page, and the organizer's one action that tells every
C and D entry of a graded programme its proposed result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import ORGANIZE_PROGRAMS, requires
from awards.forms import StatementForm
from awards.models import Program, Statement, StatementSubject
from awards.services import ApplicationError
from awards.services.statements import program_statements_open, statement_respond


def _get_own_statement(request, pk: int) -> Statement:
    """A statement on a proposed result, of the user's own enterprise; anyone else gets a 404."""
    return get_object_or_404(
        Statement.objects.select_related("application__program", "application__enterprise").prefetch_related(
            "evidence"
        ),
        pk=pk,
        subject=StatementSubject.RESULT,
        application__enterprise__account=request.user,
    )


@login_required
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the proposed result and its reasons; respond with a statement and evidence while the time runs."""
    own = _get_own_statement(request, pk)
    form = StatementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement_respond(
                statement=own,
                user=request.user,
                response=form.cleaned_data["text"],
                evidence=form.cleaned_data["evidence"],
            )
        except ApplicationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("Your statement is filed; the committee reads it before deciding."))
            return redirect("awards:application_detail", pk=own.application_id)
    return render(request, "awards/statement.html", {"statement": own, "form": form})


@requires(ORGANIZE_PROGRAMS)
@require_POST
def program_statements_notify(request: HttpRequest, slug: str) -> HttpResponse:
    """Tell every C and D entry of a graded programme its proposed result, with reasons, in one action."""
    program = get_object_or_404(Program, slug=slug)
    told = program_statements_open(program=program, user=request.user)
    if told:
        messages.success(
            request,
            _("%(count)d enterprise(s) were told of their proposed result and may respond.") % {"count": told},
        )
    else:
        messages.info(request, _("Every C and D entry has already been told of its proposed result."))
    return redirect("evaluations:publication", slug=program.slug)
