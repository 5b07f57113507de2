from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext

register = template.Library()


@register.filter
def get_item(mapping, key):
    """Look up a key in a dict from a template: {{ scores|get_item:criterion.pk }}."""
    return mapping.get(key) if mapping else None


@register.filter
def ago(moment: datetime.datetime | None, now: datetime.datetime | None = None) -> str:
    """How long ago, for a reader: "刚刚" under a minute (timesince alone says "0 分钟"), else "3 小时前"."""
    if not moment:
        return ""
    now = now or timezone.now()
    if now - moment < datetime.timedelta(minutes=1):
        return gettext("just now")
    return gettext("%(since)s ago") % {"since": timesince(moment, now, depth=1)}
