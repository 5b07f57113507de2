"""The organizer's screens of a sector evaluation: the plan, the grading run, the distribution and the breakdowns.

Thin views: the plan's rules live in evaluations.plan, the grading in evaluations.grading.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import ORGANIZE_PROGRAMS, requires
from awards.models import Application, Program, ProgramMode
from evaluations import forms, grading
from evaluations import plan as plans
from evaluations.explanation import readable_trace
from evaluations.models import EvaluationPlan, GradingRun


def _program(slug: str) -> Program:
    return get_object_or_404(Program, slug=slug, mode=ProgramMode.EVALUATION)


def _plan(program: Program) -> EvaluationPlan | None:
    return EvaluationPlan.objects.filter(program=program).first()


@requires(ORGANIZE_PROGRAMS)
def plan_edit(request, slug: str):
    """The plan's period, weights and minimum sample; on first save the default aspects and deductions are made."""
    program = _program(slug)
    plan = _plan(program)
    form = forms.PlanForm(request.POST or None, instance=plan, prefix="plan")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if plan is None:
                plans.plan_create(program=program, **data)
                messages.success(request, _("The evaluation plan is set up with the six default aspects."))
            else:
                plans.plan_update(plan=plan, **data)
                messages.success(request, _("The evaluation plan is saved."))
        except plans.PlanError as error:
            form.add_error(None, str(error))
        else:
            return redirect("evaluations:plan", slug=program.slug)
    plan = _plan(program)  # a failed save leaves the form's instance changed: show the stored plan below
    return render(request, "evaluations/plan/plan.html", _plan_context(program, plan, form))


def _plan_context(program, plan, form, aspect_forms=None, add_form=None, deduction_forms=None) -> dict:
    context = {"program": program, "plan": plan, "form": form}
    if plan is not None:
        aspects = plan.aspects.all()
        rules = plan.deduction_rules.all()
        context.update(
            aspect_forms=aspect_forms or forms.AspectFormSet(queryset=aspects, prefix="aspects"),
            add_form=add_form or forms.AspectAddForm(prefix="add"),
            deduction_forms=deduction_forms or forms.DeductionFormSet(queryset=rules, prefix="rules"),
            thresholds=(program.tier_a_min, program.tier_b_min, program.tier_c_min),
        )
    return context


@requires(ORGANIZE_PROGRAMS)
@require_POST
def plan_aspects(request, slug: str):
    """Rename and reweigh the aspects, or add one."""
    program = _program(slug)
    plan = get_object_or_404(EvaluationPlan, program=program)
    aspect_forms = forms.AspectFormSet(request.POST, queryset=plan.aspects.all(), prefix="aspects")
    add_form = forms.AspectAddForm(request.POST if request.POST.get("add-title") else None, prefix="add")
    if aspect_forms.is_valid() and (not add_form.is_bound or add_form.is_valid()):
        try:
            changes = [
                (f.instance.pk, f.cleaned_data["title"], f.cleaned_data["weight"])
                for f in aspect_forms.forms
                if f.cleaned_data
            ]
            plans.aspects_update(plan=plan, changes=changes)
            if add_form.is_bound:
                plans.aspect_add(
                    plan=plan, title=add_form.cleaned_data["title"], weight=add_form.cleaned_data["weight"]
                )
        except plans.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The aspects are saved."))
            return redirect("evaluations:plan", slug=program.slug)
    form = forms.PlanForm(instance=plan, prefix="plan")
    context = _plan_context(program, plan, form, aspect_forms=aspect_forms, add_form=add_form)
    return render(request, "evaluations/plan/plan.html", context, status=200)


@requires(ORGANIZE_PROGRAMS)
@require_POST
def plan_deductions(request, slug: str):
    """The deduction table: points per kind and severity of supervision record, and which ones are vetoes."""
    program = _program(slug)
    plan = get_object_or_404(EvaluationPlan, program=program)
    deduction_forms = forms.DeductionFormSet(request.POST, queryset=plan.deduction_rules.all(), prefix="rules")
    if deduction_forms.is_valid():
        try:
            plans.deductions_update(
                plan=plan,
                changes=[
                    (f.instance.pk, f.cleaned_data["points"], f.cleaned_data["is_veto"])
                    for f in deduction_forms.forms
                    if f.cleaned_data
                ],
            )
        except plans.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The deduction table is saved."))
            return redirect("evaluations:plan", slug=program.slug)
    form = forms.PlanForm(instance=plan, prefix="plan")
    return render(
        request, "evaluations/plan/plan.html", _plan_context(program, plan, form, deduction_forms=deduction_forms)
    )


@requires(ORGANIZE_PROGRAMS)
def grading_page(request, slug: str):
    """Run the grading (POST), and see the last run, the distribution by district and industry, the flagged."""
    program = _program(slug)
    plan = _plan(program)
    if request.method == "POST":
        if plan is None:
            messages.error(request, _("This programme has no evaluation plan yet. Set up the plan before grading."))
            return redirect("evaluations:plan", slug=program.slug)
        run = grading.grading_run(program, request.user)
        messages.success(
            request,
            _("%(total)d enterprises graded: A %(A)d, B %(B)d, C %(C)d, D %(D)d; %(flagged)d flagged.") % run.counts,
        )
        return redirect("evaluations:grading", slug=program.slug)
    query = request.GET.get("q", "").strip()[:100]
    context = {
        "program": program,
        "plan": plan,
        "run": GradingRun.objects.filter(program=program).select_related("started_by").first(),
        "enrolled": Application.objects.filter(program=program, enrolled=True).count(),
        "by_district": grading.distribution(program, "district"),
        "by_industry": grading.distribution(program, "industry"),
        "flagged": grading.flagged(program)[:200],
        "ungraded": grading.ungraded(program)[:200],
        "q": query,
        "found": _search(program, query) if query else None,
    }
    return render(request, "evaluations/plan/grading.html", context)


def _search(program: Program, query: str):
    """Enrolled enterprises whose name contains the words, or whose credit code is the one typed: at most 50."""
    matching = Q(enterprise__name__icontains=query) | Q(enterprise__uscc=query.upper())
    return (
        Application.objects.filter(matching, program=program, enrolled=True)
        .select_related("enterprise", "result")
        .order_by("enterprise__name")[:50]
    )


@requires(ORGANIZE_PROGRAMS)
def breakdown(request, slug: str, pk: int):
    """One enterprise's result with its whole trace: sources, weights, contributions, deductions, vetoes, flags."""
    program = _program(slug)
    application = get_object_or_404(
        Application.objects.select_related("enterprise__district", "enterprise__industry"),
        pk=pk,
        program=program,
        enrolled=True,
    )
    result = getattr(application, "result", None)
    context = {"program": program, "application": application, "result": result, "trace": readable_trace(result)}
    return render(request, "evaluations/plan/breakdown.html", context)
