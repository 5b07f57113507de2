"""Downloads for organizers: the published lists of a programme."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from awards.models import Program
from certificates.exports import (
    CONTENT_TYPES,
    FORMATS,
    LISTS,
    ascii_filename,
    content_disposition,
    export_list,
    list_filename,
)
from certificates.pdf_base import harfbuzz_subset_available

# Lists up to a few MB stay in memory; a 10,000-row PDF (about 4 MB) or larger goes to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


@require_GET
@login_required
@permission_required("awards.organize_programs", raise_exception=True)
def export_download(request, slug: str, fmt: str):
    """The published list as an attachment; ?list=exposure for the exposure list of an evaluation programme."""
    which = request.GET.get("list", "honours")
    if fmt not in FORMATS or which not in LISTS:
        raise Http404(_("There is no such list to download."))
    program = get_object_or_404(Program, slug=slug)
    if fmt == "pdf" and not harfbuzz_subset_available():
        return HttpResponse(
            _("The PDF cannot be printed on this server at the moment. Download the xlsx or CSV list instead."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    export_list(program, fmt=fmt, target=file, which=which)
    file.seek(0)
    response = FileResponse(file, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(
        list_filename(program, fmt, which), ascii_filename(program, fmt, which)
    )
    response["Cache-Control"] = "private, no-store"  # names and codes of a list not yet published, perhaps
    return response
