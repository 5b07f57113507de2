from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """Look up a key in a dict from a template: {{ scores|get_item:criterion.pk }}."""
    return mapping.get(key) if mapping else None
