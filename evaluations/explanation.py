"""A sector evaluation's result in words: the trace of `evaluations.rule`, labelled for a reader.

The organizer's breakdown page and the enterprise's own application page read the same trace, so that what the
organizer explains to an enterprise that asks is exactly what the enterprise can read for itself.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from evaluations.models import RecordKind, Severity
from evaluations.rule import Source


def is_evaluation_result(result) -> bool:
    """A result of the composite rule (its trace lists sources), not one aggregated from reviewers' totals."""
    return result is not None and "sources" in (result.explanation or {})


def readable_trace(result) -> dict | None:
    """The trace of an evaluation result with every source, record kind, severity, reason and flag in words."""
    if not is_evaluation_result(result):
        return None
    trace = dict(result.explanation)
    source_labels = {
        Source.QUESTIONNAIRE: _("Questionnaire survey"),
        Source.HEARING: _("Hearings"),
        Source.REVIEW: _("Reviewers' scores"),
    }
    reason_labels = {
        "weight_zero": _("weight 0 in the plan"),
        "missing": _("no scores"),
        "below_min_sample": _("below the minimum sample"),
    }
    flag_labels = {
        "small_sample": _("Questionnaire sample below the minimum: the questionnaire does not count."),
        "no_evidence": _("No source counts and no veto: the enterprise cannot be graded."),
    }
    kinds, severities = dict(RecordKind.choices), dict(Severity.choices)
    trace["sources"] = [
        {
            **source,
            "label": source_labels.get(source["source"], source["source"]),
            "reason_label": reason_labels.get(source.get("reason", ""), ""),
        }
        for source in trace.get("sources", [])
    ]
    for key in ("deductions", "vetoes"):
        trace[key] = [
            {
                **item,
                "kind_label": kinds.get(item["kind"], item["kind"]),
                "severity_label": severities.get(item["severity"], item["severity"]),
            }
            for item in trace.get(key, [])
        ]
    trace["flag_labels"] = [flag_labels.get(flag, flag) for flag in trace.get("flags", [])]
    return trace
