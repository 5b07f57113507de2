from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from awards.uscc import InvalidUSCC, validate_uscc


def uscc_error_message(error: InvalidUSCC) -> str:
    """Say precisely what is wrong with a unified social credit code, and how to fix it."""
    if error.code == "empty":
        return _("Enter the 18-character unified social credit code printed on the business licence.")
    if error.code == "length":
        return _(
            "A unified social credit code has 18 characters; you entered %(length)d. "
            "Copy it again from the business licence."
        ) % {"length": error.length}
    if error.code == "character":
        return _(
            "Character %(position)d, “%(character)s”, cannot appear in a unified social credit code: only digits "
            "and capital letters except I, O, Z, S and V are used."
        ) % {"position": error.position, "character": error.character}
    if error.code == "region":
        return _(
            "Characters 3 to 8 are the region code and must be digits; character %(position)d is “%(character)s”."
        ) % {"position": error.position, "character": error.character}
    return _(
        "The check character (the 18th) does not match the first 17: one character is probably mistyped. "
        "Compare the code with the business licence character by character."
    )


def validate_uscc_field(value: str) -> None:
    try:
        validate_uscc(value)
    except InvalidUSCC as error:
        raise ValidationError(uscc_error_message(error), code=f"uscc_{error.code}") from None
