"""The renewal panel of a title on the holder's “My titles” page, which belongs to certificates (below renewals)."""

from __future__ import annotations

from django import template

from renewals.services import renewal_offer

register = template.Library()


@register.inclusion_tag("renewals/_title_renewal.html", takes_context=True)
def renewal_panel(context, certificate):
    return {"offer": renewal_offer(certificate), "csrf_token": context.get("csrf_token")}
