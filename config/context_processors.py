"""Template context every page needs."""

from __future__ import annotations

from django.conf import settings


def site_identity(request) -> dict:
    """Who runs the site and how to reach them, for the header and footer of every page."""
    return {
        "site_organizer": settings.SITE_ORGANIZER_NAME,
        "site_contact": settings.SITE_CONTACT,
        "site_icp_number": settings.SITE_ICP_NUMBER,
    }
