"""Aggregation of reviewer totals into a final score and a credit tier (信用等级), DESIGN.md step 6.

Pure calculation, no Django state. Only reviewers' points enter the score: membership, fees or
sponsorship are deliberately not inputs. Every result keeps its trace (rule version, each total,
what was dropped, which veto fired and who confirmed it) so a tier can be explained and audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

RULE_VERSION = "2026.1"  # bump when the rule changes; stored with every result
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ReviewerTotal:
    """One reviewer's points summed over the scored criteria, and the veto items they say apply."""

    reviewer_id: int
    total: Decimal
    veto_criterion_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class TierRule:
    """The default rule follows the tax credit rating bands; programmes may configure their own."""

    a_min: Decimal = Decimal("90")
    b_min: Decimal = Decimal("70")
    c_min: Decimal = Decimal("40")
    spread_limit: Decimal = Decimal("20")
    drop_extremes_from: int = 5  # with this many reviewers or more, drop one highest and one lowest total
    version: str = RULE_VERSION

    def __post_init__(self) -> None:
        # A misconfigured programme must fail when the rule is built, not grade silently wrong. The same rule as
        # the programme's database constraint (program_tiers_descending), so that the two can never disagree.
        if not 100 >= self.a_min > self.b_min > self.c_min > 0:
            raise ValueError(
                f"Tier thresholds must fall, 100 ≥ A > B > C > 0 (they must not increase or tie): "
                f"{self.a_min}, {self.b_min}, {self.c_min}"
            )
        if self.drop_extremes_from < 3:
            raise ValueError(f"drop_extremes_from must be at least 3 to leave a total; got {self.drop_extremes_from}")


@dataclass(frozen=True)
class ScoreResult:
    final_score: Decimal  # mean of the counted totals, quantized to 0.01 with ROUND_HALF_UP
    tier: str  # "A" | "B" | "C" | "D"
    counted: tuple[ReviewerTotal, ...]
    dropped: tuple[ReviewerTotal, ...]  # empty below drop_extremes_from; else exactly (highest, lowest)
    vetoes: dict[int, tuple[int, ...]]  # confirmed criterion id -> reviewer ids who said it applies
    spread: Decimal  # max total - min total over all reviewers, before dropping
    spread_flagged: bool
    rule_version: str
    rule: TierRule  # kept so the explanation can state the thresholds the tier was read against

    @property
    def veto_overrode_score(self) -> bool:
        """Whether a veto, not the score, made the tier D."""
        return bool(self.vetoes) and tier_for(self.final_score, self.rule) != "D"

    def explanation(self) -> dict:
        """Return the trace of this result as JSON-serialisable data, Decimals as strings."""
        dropped_ids = {reviewer.reviewer_id for reviewer in self.dropped}
        return {
            "rule_version": self.rule_version,
            "final_score": str(self.final_score),
            "tier": self.tier,
            "thresholds": {"A": str(self.rule.a_min), "B": str(self.rule.b_min), "C": str(self.rule.c_min)},
            "totals": [
                {
                    "reviewer_id": reviewer.reviewer_id,
                    "total": str(reviewer.total),
                    "counted": reviewer.reviewer_id not in dropped_ids,
                    # Unconfirmed veto claims stay in the trace: the organizer may want to see them.
                    "veto_criterion_ids": sorted(reviewer.veto_criterion_ids),
                }
                for reviewer in sorted(self.counted + self.dropped, key=lambda r: r.reviewer_id)
            ],
            "dropped": [reviewer.reviewer_id for reviewer in self.dropped],
            "vetoes": {str(criterion): list(reviewers) for criterion, reviewers in self.vetoes.items()},
            "spread": str(self.spread),
            "spread_limit": str(self.rule.spread_limit),
            "spread_flagged": self.spread_flagged,
            "veto_overrode_score": self.veto_overrode_score,
        }


def tier_for(score: Decimal, rule: TierRule) -> str:
    """Return the tier a score earns by the thresholds alone, ignoring vetoes."""
    if score >= rule.a_min:
        return "A"
    if score >= rule.b_min:
        return "B"
    if score >= rule.c_min:
        return "C"
    return "D"


def aggregate(totals: Sequence[ReviewerTotal], rule: TierRule) -> ScoreResult:
    """Combine the reviewers' totals into a final score and tier under `rule`."""
    _check(totals)
    counted, dropped = _drop_extremes(tuple(totals), rule)
    mean = sum((reviewer.total for reviewer in counted), Decimal(0)) / len(counted)
    final_score = mean.quantize(CENT, rounding=ROUND_HALF_UP)
    vetoes = _confirmed_vetoes(totals)
    spread = max(r.total for r in totals) - min(r.total for r in totals)
    return ScoreResult(
        final_score=final_score,
        # The tier is read from the rounded score: the published score and tier must agree.
        tier="D" if vetoes else tier_for(final_score, rule),
        counted=counted,
        dropped=dropped,
        vetoes=vetoes,
        spread=spread,
        spread_flagged=spread > rule.spread_limit,
        rule_version=rule.version,
        rule=rule,
    )


def _check(totals: Sequence[ReviewerTotal]) -> None:
    if not totals:
        raise ValueError("Cannot aggregate without any reviewer totals.")
    ids = [reviewer.reviewer_id for reviewer in totals]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"Each reviewer may count once; duplicate reviewer ids: {duplicates}.")
    for reviewer in totals:
        if not reviewer.total.is_finite() or reviewer.total < 0:
            raise ValueError(f"Reviewer {reviewer.reviewer_id} has an invalid total {reviewer.total}; it must be >= 0.")


def _drop_extremes(
    totals: tuple[ReviewerTotal, ...], rule: TierRule
) -> tuple[tuple[ReviewerTotal, ...], tuple[ReviewerTotal, ...]]:
    """Split totals into (counted, dropped), dropping the first highest and first lowest in input order."""
    if len(totals) < rule.drop_extremes_from:
        return totals, ()
    # max() and min() return the first of equal elements; excluding `high` from the search for
    # `low` keeps them distinct when every total is equal.
    high = max(range(len(totals)), key=lambda i: totals[i].total)
    low = min((i for i in range(len(totals)) if i != high), key=lambda i: totals[i].total)
    counted = tuple(reviewer for i, reviewer in enumerate(totals) if i not in (high, low))
    return counted, (totals[high], totals[low])


def _confirmed_vetoes(totals: Sequence[ReviewerTotal]) -> dict[int, tuple[int, ...]]:
    """Return the vetoes claimed by more than half of all reviewers, dropped ones included.

    A veto is a yes/no finding, not a score, so dropping extreme totals must not silence it.
    """
    claims: dict[int, list[int]] = {}
    for reviewer in totals:
        for criterion in reviewer.veto_criterion_ids:
            claims.setdefault(criterion, []).append(reviewer.reviewer_id)
    return {
        criterion: tuple(reviewers)
        for criterion, reviewers in sorted(claims.items())
        if 2 * len(reviewers) > len(totals)
    }
