"""Start-up checks: without a signing key certificates print with no verifiable code; a long SITE_URL grows the QR."""

from django.conf import settings
from django.core.checks import Warning, register

from credentials import keys


@register()
def signing_key_configured(app_configs, **kwargs):
    try:
        keys.current_key()
    except keys.NoSigningKey as error:
        return [
            Warning(
                "No Ed25519 signing key: certificates cannot be printed with a signed QR code.",
                hint=str(error),
                id="credentials.W001",
            )
        ]
    return []


@register()
def site_url_fits_the_qr_code(app_configs, **kwargs):
    from credentials.payload import QR_MAX_VERSION, SITE_URL_BUDGET

    site = settings.SITE_URL.rstrip("/")
    if len(site) <= SITE_URL_BUDGET:
        return []
    return [
        Warning(
            f"SITE_URL is {len(site)} characters long: certificates of the longest names will need a QR code larger "
            f"than version {QR_MAX_VERSION}, which scans less reliably from a printed plaque.",
            hint=f"Use a public address of at most {SITE_URL_BUDGET} characters.",
            id="credentials.W002",
        )
    ]
