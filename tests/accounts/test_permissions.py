"""The one permission check: who holds what, and the view decorator."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from accounts import permissions
from accounts.roles import Role
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db


def _view(request):
    return HttpResponse("ok")


def test_it_lets_a_holder_of_the_permission_through(olivia):
    permissions.require(olivia, permissions.ORGANIZE_PROGRAMS)


def test_it_refuses_a_user_without_the_permission(alice):
    with pytest.raises(PermissionDenied):
        permissions.require(alice, permissions.ORGANIZE_PROGRAMS)


def test_it_accepts_any_one_of_several_permissions():
    committee = staff_user("carl", Role.COMMITTEE)
    permissions.require(committee, permissions.ORGANIZE_PROGRAMS, permissions.DECIDE_AWARDS)


def test_it_refuses_an_inactive_user_whatever_they_hold(olivia):
    olivia.is_active = False
    with pytest.raises(PermissionDenied):
        permissions.require(olivia, permissions.ORGANIZE_PROGRAMS)


def test_it_counts_a_permission_granted_to_one_person_like_one_of_a_role():
    bob = UserFactory(username="bob")
    bob.user_permissions.add(Permission.objects.get(codename="inspect_sites"))
    assert permissions.is_staff_member(bob)
    assert list(permissions.users_with(permissions.INSPECT_SITES)) == [bob]


def test_it_finds_the_reviewers_by_their_permission(alice):
    rui = staff_user("rui", Role.REVIEWER)
    assert list(permissions.users_with(permissions.REVIEW_APPLICATIONS)) == [rui]


def test_it_sends_an_anonymous_visitor_to_the_login_page():
    request = RequestFactory().get("/work/")
    request.user = AnonymousUser()
    response = permissions.requires(permissions.ORGANIZE_PROGRAMS)(_view)(request)
    assert response.status_code == 302 and "/login/" in response.url


def test_it_refuses_a_logged_in_user_without_the_permission_with_a_403(alice):
    request = RequestFactory().get("/work/")
    request.user = alice
    with pytest.raises(PermissionDenied):
        permissions.requires(permissions.ORGANIZE_PROGRAMS)(_view)(request)


def test_it_keeps_applicants_out_of_the_staff_pages(alice, olivia):
    request = RequestFactory().get("/work/")
    request.user = alice
    with pytest.raises(PermissionDenied):
        permissions.staff_required(_view)(request)
    request.user = olivia
    assert permissions.staff_required(_view)(request).status_code == 200
