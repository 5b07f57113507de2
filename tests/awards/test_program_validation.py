"""A programme's set-up rules live on its database constraints; forms show the constraint's own message."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from awards.models import Criterion, Program
from awards.scoring import TierRule
from tests.awards.test_program_setup import _program_form
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

TIERS_MESSAGE = "Tier thresholds must fall: 100 ≥ A > B > C > 0."


def test_equal_thresholds_for_a_and_b_are_refused_next_to_tier_a_with_the_constraints_message(program):
    program.tier_b_min = program.tier_a_min
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        program.full_clean()
    assert refused.value.message_dict["tier_a_min"] == [TIERS_MESSAGE]


def test_the_message_is_the_one_on_the_database_constraint():
    constraint = next(c for c in Program._meta.constraints if c.name == "program_tiers_descending")
    with translation.override("en"):
        assert constraint.get_violation_error_message() == TIERS_MESSAGE


def test_the_admin_explains_equal_thresholds_in_chinese(client, olivia):
    client.force_login(olivia)
    response = client.post(reverse("admin:awards_program_add"), _program_form(tier_b_min="90"))
    assert response.status_code == 200
    assert "各等级分数线须依次降低" in response.content.decode()
    assert not Program.objects.exists()


def test_the_tier_rule_refuses_equal_thresholds_like_the_database():
    with pytest.raises(ValueError, match="must not increase or tie"):
        TierRule(a_min=Decimal(90), b_min=Decimal(90))


def test_a_veto_item_with_points_is_refused_next_to_its_points():
    criterion = Criterion(program=ProgramFactory(), aspect="否决", title="重大违法", is_veto=True, max_points=5)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        criterion.full_clean()
    assert refused.value.message_dict["max_points"] == ["A veto item is yes or no and carries no points; set 0."]
