"""Staff roles are groups with permissions; one person may hold several."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts import permissions
from accounts.models import User
from accounts.roles import Role, grant_roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


def test_an_organizer_may_organize_and_enter_the_admin():
    user = UserFactory()
    grant_roles(user, Role.ORGANIZER)
    user = User.objects.get(pk=user.pk)
    assert user.has_perm("awards.organize_programs")
    assert user.has_perm("awards.add_program")
    assert user.is_staff


def test_a_reviewer_may_review_but_not_organize():
    user = UserFactory()
    grant_roles(user, Role.REVIEWER)
    user = User.objects.get(pk=user.pk)
    assert user.has_perm("awards.review_applications")
    assert not user.has_perm("awards.organize_programs")
    assert not user.is_staff


def test_one_person_may_hold_several_roles():
    user = UserFactory()
    grant_roles(user, Role.ORGANIZER, Role.COMMITTEE)
    user = User.objects.get(pk=user.pk)
    assert user.has_role(Role.ORGANIZER) and user.has_role(Role.COMMITTEE)
    assert user.has_perm("awards.decide_awards")


def test_an_applicant_holds_no_role(alice):
    assert not permissions.is_staff_member(alice)
    assert not alice.has_perm("awards.organize_programs")


def test_the_command_creates_an_organizer_without_prompting(capsys):
    call_command("create_organizer", "--username", "wangmin", "--password", "Secretariat-315", "--name", "王敏")
    user = User.objects.get(username="wangmin")
    assert user.has_role(Role.ORGANIZER) and user.check_password("Secretariat-315")


def test_the_command_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("ORGANIZER_PASSWORD", "Secretariat-315")
    call_command("create_organizer", "--username", "wangmin", "--role", "committee")
    user = User.objects.get(username="wangmin")
    assert user.has_role(Role.COMMITTEE)


def test_the_command_refuses_a_weak_password():
    with pytest.raises(CommandError):
        call_command("create_organizer", "--username", "wangmin", "--password", "123")
    assert not User.objects.filter(username="wangmin").exists()


def test_the_command_is_idempotent():
    for _ in range(2):
        call_command("create_organizer", "--username", "wangmin", "--password", "Secretariat-315")
    assert User.objects.filter(username="wangmin").count() == 1
