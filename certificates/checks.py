from django.core.checks import Error, register

from certificates.pdf_base import harfbuzz_subset_available


@register()
def harfbuzz_subsetting(app_configs, **kwargs):
    """Printing certificates without HarfBuzz subsetting is 27 times slower; say so at start-up."""
    if harfbuzz_subset_available():
        return []
    return [
        Error(
            "WeasyPrint cannot subset fonts with HarfBuzz.",
            hint="Install the Debian package libharfbuzz-subset0 (bin/setup does).",
            id="certificates.E001",
        )
    ]
