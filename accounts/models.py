from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class User(AbstractUser):
    """A person who logs in: an applicant, or staff holding one or more roles (as groups)."""

    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("mobile number"), max_length=11, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="user_email_unique_when_set"),
            models.UniqueConstraint(fields=["phone"], condition=~models.Q(phone=""), name="user_phone_unique_when_set"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, role: Role) -> bool:
        if not self.is_active:
            return False
        cache = getattr(self, "_role_names", None)
        if cache is None:
            cache = self._role_names = set(self.groups.values_list("name", flat=True))
        return role.value in cache
