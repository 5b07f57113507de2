"""The composite rule of a sector evaluation: the sources' figures, deductions and vetoes into a score and a tier.

Pure calculation, no Django state, in the style of `awards.scoring`. The sources (questionnaire survey, hearings,
reviewers) each give a score from 0 to 100; the counted ones are averaged with the plan's weights, renormalised over
the sources that count, so that a missing source neither helps nor harms. A questionnaire with fewer answers than
the plan's minimum sample does not count, and the enterprise is flagged. The supervision records in the period
then deduct their points (never below 0), and a record of a kind the plan makes a veto makes the tier D whatever
the score. An enterprise with no counted source and no veto is not graded: it is flagged for the organizer.
Every figure, what counted and why, every deduction and every veto are kept in the trace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from awards.scoring import TierRule, tier_for

RULE_VERSION = "eval-2026.1"  # bump when the rule changes; stored with every result
CENT = Decimal("0.01")
ZERO = Decimal(0)


class Source:
    QUESTIONNAIRE = "questionnaire"
    HEARING = "hearing"
    REVIEW = "review"


class Flag:
    SMALL_SAMPLE = "small_sample"  # the questionnaire has fewer answers than the minimum sample
    NO_EVIDENCE = "no_evidence"  # no source counts and no veto: the enterprise cannot be graded


@dataclass(frozen=True)
class SourceFigure:
    """One source's score of one enterprise (None when it has none) and how many answers or scorers gave it."""

    source: str
    weight: int  # the plan's weight in per cent
    score: Decimal | None
    sample: int = 0


@dataclass(frozen=True)
class RecordDeduction:
    """What one supervision record in the period takes off, by the plan's deduction table."""

    record_id: int
    kind: str
    severity: str
    points: Decimal
    veto: bool = False


@dataclass(frozen=True)
class EvaluationRule:
    tiers: TierRule = field(default_factory=TierRule)
    min_sample: int = 30
    version: str = RULE_VERSION

    def __post_init__(self) -> None:
        if self.min_sample < 1:
            raise ValueError(f"The minimum questionnaire sample must be at least 1, not {self.min_sample}")


@dataclass(frozen=True)
class Grade:
    score: Decimal | None  # after deductions; None when not graded
    tier: str  # "A" | "B" | "C" | "D", or "" when not graded
    weighted: Decimal | None  # before deductions
    deducted: Decimal
    counted: tuple[SourceFigure, ...]
    not_counted: tuple[tuple[SourceFigure, str], ...]  # with the reason
    deductions: tuple[RecordDeduction, ...]
    vetoes: tuple[RecordDeduction, ...]
    flags: tuple[str, ...]
    rule: EvaluationRule

    @property
    def graded(self) -> bool:
        return bool(self.tier)

    def explanation(self) -> dict:
        """The trace as JSON-serialisable data, Decimals as strings; "flags" only when there are any."""
        total_weight = sum(figure.weight for figure in self.counted)
        trace = {
            "rule_version": self.rule.version,
            "score": None if self.score is None else str(self.score),
            "tier": self.tier,
            "weighted": None if self.weighted is None else str(self.weighted),
            "deducted": str(self.deducted),
            "thresholds": {
                "A": str(self.rule.tiers.a_min),
                "B": str(self.rule.tiers.b_min),
                "C": str(self.rule.tiers.c_min),
            },
            "min_sample": self.rule.min_sample,
            "sources": [
                {
                    "source": figure.source,
                    "weight": figure.weight,
                    "score": None if figure.score is None else str(figure.score),
                    "sample": figure.sample,
                    "counted": True,
                    "contribution": str(_quantize(figure.score * figure.weight / total_weight)),
                }
                for figure in self.counted
            ]
            + [
                {
                    "source": figure.source,
                    "weight": figure.weight,
                    "score": None if figure.score is None else str(figure.score),
                    "sample": figure.sample,
                    "counted": False,
                    "reason": reason,
                }
                for figure, reason in self.not_counted
            ],
            "deductions": [_record(item) for item in self.deductions],
            "vetoes": [_record(item) for item in self.vetoes],
        }
        if self.flags:
            trace["flags"] = list(self.flags)
        return trace


def _record(item: RecordDeduction) -> dict:
    return {"record_id": item.record_id, "kind": item.kind, "severity": item.severity, "points": str(item.points)}


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _why_not_counted(figure: SourceFigure, rule: EvaluationRule) -> str:
    if figure.weight <= 0:
        return "weight_zero"
    if figure.score is None:
        return "missing"
    if figure.source == Source.QUESTIONNAIRE and figure.sample < rule.min_sample:
        return "below_min_sample"
    return ""


def grade(sources: Sequence[SourceFigure], records: Sequence[RecordDeduction], rule: EvaluationRule) -> Grade:
    """Grade one enterprise from its sources' figures and the deductions of its supervision records."""
    counted, not_counted = [], []
    for figure in sources:
        if figure.score is not None and not ZERO <= figure.score <= 100:
            raise ValueError(f"A source's score lies between 0 and 100, not {figure.score} ({figure.source})")
        reason = _why_not_counted(figure, rule)
        if reason:
            not_counted.append((figure, reason))
        else:
            counted.append(figure)
    flags = []
    if any(reason == "below_min_sample" for _figure, reason in not_counted):
        flags.append(Flag.SMALL_SAMPLE)
    vetoes = tuple(item for item in records if item.veto)
    deductions = tuple(item for item in records if not item.veto)
    deducted = _quantize(sum((item.points for item in deductions), ZERO))
    if counted:
        total_weight = sum(figure.weight for figure in counted)
        weighted = _quantize(sum(figure.score * figure.weight for figure in counted) / total_weight)
        score = _quantize(max(ZERO, weighted - deducted))
        tier = "D" if vetoes else tier_for(score, rule.tiers)
    else:
        weighted = score = None
        tier = "D" if vetoes else ""
        if not vetoes:
            flags.append(Flag.NO_EVIDENCE)
    return Grade(
        score=score,
        tier=tier,
        weighted=weighted,
        deducted=deducted,
        counted=tuple(counted),
        not_counted=tuple(not_counted),
        deductions=deductions,
        vetoes=vetoes,
        flags=tuple(flags),
        rule=rule,
    )


def response_score(
    answers: dict[int, int], aspect_of: dict[int, int], aspect_weights: dict[int, int]
) -> tuple[dict[int, Decimal], Decimal]:
    """One questionnaire's aspect scores and overall score (0–100) from its five-point answers.

    Each answer maps 1 → 0 and 5 → 100; an aspect scores the mean of its answers, the questionnaire the
    aspect-weighted mean of the aspects answered.
    """
    by_aspect: dict[int, list[int]] = {}
    for question, value in answers.items():
        if not 1 <= value <= 5:
            raise ValueError(f"An answer lies between 1 and 5, not {value}")
        by_aspect.setdefault(aspect_of[question], []).append(value)
    if not by_aspect:
        raise ValueError("A questionnaire needs at least one answer")
    aspect_scores = {
        aspect: _quantize(Decimal(sum(values) - len(values)) * 25 / len(values)) for aspect, values in by_aspect.items()
    }
    total_weight = sum(aspect_weights[aspect] for aspect in aspect_scores)
    overall = _quantize(sum(score * aspect_weights[aspect] for aspect, score in aspect_scores.items()) / total_weight)
    return aspect_scores, overall
