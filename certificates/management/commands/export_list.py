"""Write a programme's published list (the honour roll, its revocations or the exposure list) as PDF, xlsx or CSV."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from awards.models import Program
from certificates.exports import export_list
from certificates.kinds import ListFormat, ListKind
from certificates.pdf_base import PDFUnavailable, require_harfbuzz_subset

HARFBUZZ_MISSING = gettext_lazy(
    "PDF printing is unavailable: WeasyPrint cannot subset fonts with HarfBuzz. "
    "Install the Debian package libharfbuzz-subset0 (bin/setup does)."
)


class Command(BaseCommand):
    help = gettext_lazy("Write the published list of a programme, grouped by district, as PDF, xlsx or CSV.")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        self.help = str(self.help)  # argparse cannot wrap a lazy translation; translate it now that a language is set
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--program", required=True, metavar="SLUG", help=gettext_lazy("the programme's short name"))
        parser.add_argument("--format", required=True, choices=ListFormat.values, help=gettext_lazy("pdf, xlsx or csv"))
        parser.add_argument("--out", required=True, type=Path, metavar="FILE", help=gettext_lazy("the file to write"))
        parser.add_argument(
            "--list",
            choices=ListKind.values,
            default=ListKind.HONOURS.value,
            help=gettext_lazy(
                "honours: the granted titles (the default); revoked: the revoked titles with the date of revocation; "
                "exposure: the serious breaches of trust"
            ),
        )

    def handle(self, *args, **options) -> None:
        fmt, which = options["format"], options["list"]
        out = Path(options["out"])  # call_command() passes the value as given, without the parser's type
        if fmt == ListFormat.PDF:
            _require_pdf()
        program = _program(options["program"])
        if not out.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": out.parent})
        count = _write(out, program, fmt=fmt, which=which)
        written = ngettext("%(count)d row written to %(path)s", "%(count)d rows written to %(path)s", count)
        self.stdout.write(written % {"count": count, "path": out.resolve()})


def _require_pdf() -> None:
    try:
        require_harfbuzz_subset()
    except PDFUnavailable:
        raise CommandError(str(HARFBUZZ_MISSING)) from None


def _program(slug: str) -> Program:
    try:
        return Program.objects.get(slug=slug)
    except Program.DoesNotExist:
        raise CommandError(_("There is no programme with the short name “%(slug)s”.") % {"slug": slug}) from None


def _write(out: Path, program: Program, *, fmt: str, which: str) -> int:
    """Write beside the target and rename at the end: a failed export never leaves half a file under its name."""
    partial = out.with_name(f".{out.name}.part")
    try:
        with partial.open("wb") as target:
            count = export_list(program, fmt=fmt, target=target, which=which)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return count
