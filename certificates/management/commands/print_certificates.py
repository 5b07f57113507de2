"""Print every granted title of a programme into one print-ready PDF, for the ceremony."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from awards.models import Program
from certificates.pdf import CHUNK_SIZE, HARFBUZZ_MISSING, KINDS, render_titles_pdf, titles_for_print
from certificates.pdf_base import PDFUnavailable, require_harfbuzz_subset


class _BarOutput:
    """Let tqdm redraw its bar in place: Django's OutputWrapper would end every redraw with a new line."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")

    def flush(self) -> None:
        self.wrapper.flush()


class Command(BaseCommand):
    help = gettext_lazy("Print every granted title of a programme into one print-ready PDF, in district order.")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        self.help = str(self.help)  # argparse cannot wrap a lazy translation; translate it now that a language is set
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--program", required=True, metavar="SLUG", help=gettext_lazy("the programme's short name"))
        parser.add_argument(
            "--out", required=True, type=Path, metavar="FILE.pdf", help=gettext_lazy("the PDF to write")
        )
        parser.add_argument("--kind", choices=KINDS, default="certificate", help=gettext_lazy("certificate or plaque"))
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, help=gettext_lazy("pages rendered at a time"))

    def handle(self, *, program: str, out: str | Path, kind: str, chunk_size: int, **options) -> None:
        out = Path(out)  # call_command() passes the value as given, without the parser's type
        try:
            require_harfbuzz_subset()
        except PDFUnavailable:
            raise CommandError(str(HARFBUZZ_MISSING)) from None
        if chunk_size < 1:
            raise CommandError(_("--chunk-size must be at least 1."))
        if not out.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": out.parent})
        titles = titles_for_print(_program(program))
        total = titles.count()
        if not total:
            raise CommandError(_("Programme “%(slug)s” has no granted titles to print.") % {"slug": program})
        pages = self._render(titles, total=total, kind=kind, out=out, chunk_size=chunk_size)
        written = ngettext("%(pages)d page written to %(path)s", "%(pages)d pages written to %(path)s", pages)
        self.stdout.write(written % {"pages": pages, "path": out.resolve()})

    def _render(self, titles, *, total: int, kind: str, out: Path, chunk_size: int) -> int:
        from tqdm import tqdm

        with tqdm(total=total, unit=_("page"), desc=_("Printing"), file=_BarOutput(self.stderr)) as bar:
            # Fetching the titles chunk by chunk keeps memory flat however many the programme has.
            return render_titles_pdf(
                titles.iterator(chunk_size=chunk_size),
                kind=kind,
                target=out,
                progress=bar.update,
                chunk_size=chunk_size,
            )


def _program(slug: str) -> Program:
    try:
        return Program.objects.get(slug=slug)
    except Program.DoesNotExist:
        raise CommandError(_("There is no programme with the short name “%(slug)s”.") % {"slug": slug}) from None
