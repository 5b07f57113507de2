"""{% fragment_verifier %}: the check of a scanned QR code's signed fragment, on the verification page."""

from __future__ import annotations

from django import template

from credentials.verifier_views import verifier_data

register = template.Library()


@register.inclusion_tag("credentials/_fragment_verifier.html")
def fragment_verifier() -> dict:
    # The public keys only (a few hundred bytes): the verification page must stay light, and the programme's name
    # is already on it, read from the register.
    return {"verifier": verifier_data(with_programmes=False)}
