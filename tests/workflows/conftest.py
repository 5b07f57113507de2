from __future__ import annotations

import pytest

from accounts.roles import Role, grant_roles
from tests.factories import UserFactory


def _staff(username: str, *roles: Role):
    user = UserFactory(username=username, email=f"{username}@example.org")
    grant_roles(user, *roles)
    return user


@pytest.fixture
def reviewers(db):
    """Five reviewers: Rui, Rong, Ren, Rou and Rao."""
    return [_staff(name, Role.REVIEWER) for name in ("rui", "rong", "ren", "rou", "rao")]


@pytest.fixture
def ingrid(db):
    """Ingrid inspects education bases on site."""
    return _staff("ingrid", Role.INSPECTOR)


@pytest.fixture
def carl(db):
    """Carl sits on the award committee."""
    return _staff("carl", Role.COMMITTEE)
