from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class CharacterClassValidator:
    """Require characters from several classes: lower case, upper case, digits, symbols (等保 level 2)."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must mix at least %(n)d kind of character: lower-case letters, upper-case letters, "
            "digits and symbols.",
            "Your password must mix at least %(n)d kinds of characters: lower-case letters, upper-case letters, "
            "digits and symbols.",
            self.min_classes,
        ) % {"n": self.min_classes}
