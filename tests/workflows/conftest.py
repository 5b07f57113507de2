from __future__ import annotations

import pytest

from accounts.roles import Role
from tests.factories import staff_user


@pytest.fixture
def reviewers(db):
    """Five reviewers: Rui, Rong, Ren, Rou and Rao."""
    return [staff_user(name, Role.REVIEWER) for name in ("rui", "rong", "ren", "rou", "rao")]


@pytest.fixture
def ingrid(db):
    """Ingrid inspects education bases on site."""
    return staff_user("ingrid", Role.INSPECTOR)


@pytest.fixture
def carl(db):
    """Carl sits on the award committee."""
    return staff_user("carl", Role.COMMITTEE)
