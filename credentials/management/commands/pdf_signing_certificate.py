"""The issuing bodies' certificates that sign PDFs: make a self-signed one, install a real one, show them, check a file.

    manage.py pdf_signing_certificate --self-signed [--program SLUG] [--name NAME] [--years N] [--force | --if-missing]
    manage.py pdf_signing_certificate --key KEY.pem --cert CERT.pem [--chain CHAIN.pem] [--program SLUG] [--force]
    manage.py pdf_signing_certificate --show
    manage.py pdf_signing_certificate --validate FILE.pdf [--trust CERT.pem ...]

Without --program the certificate is the site's, used for every programme that has none of its own.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import Program
from credentials import pdf_signing
from credentials.pdf_signing import SITE, PdfSigningError, SignerFiles


class Command(BaseCommand):
    help = gettext_lazy(
        "Make, install or show the issuing bodies' certificates that sign PDFs (per programme or for the whole site), "
        "or check the signatures of a PDF."
    )
    # A broken certificate is a system check error: this command must still run to replace it.
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        self.help = str(self.help)  # argparse cannot wrap a lazy translation; translate it now that a language is set
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--self-signed",
            action="store_true",
            help=gettext_lazy("make a new key and a self-signed certificate (for a demo or a test site)"),
        )
        action.add_argument(
            "--key", type=Path, metavar="KEY.pem", help=gettext_lazy("install this private key (with --cert)")
        )
        action.add_argument("--show", action="store_true", help=gettext_lazy("list the configured certificates"))
        action.add_argument(
            "--validate", type=Path, metavar="FILE.pdf", help=gettext_lazy("check the signatures of a PDF")
        )
        parser.add_argument(
            "--cert", type=Path, metavar="CERT.pem", help=gettext_lazy("the certificate of the key to install")
        )
        parser.add_argument(
            "--chain",
            type=Path,
            metavar="CHAIN.pem",
            help=gettext_lazy("the intermediate certificates up to the certification authority, if any"),
        )
        parser.add_argument(
            "--program",
            metavar="SLUG",
            help=gettext_lazy("the programme whose issuing body signs (the whole site when left out)"),
        )
        parser.add_argument(
            "--name",
            help=gettext_lazy(
                "the issuing body named in a self-signed certificate (default: the programme's issuing body, or "
                "SITE_ORGANIZER_NAME for the site)"
            ),
        )
        parser.add_argument(
            "--years", type=int, default=5, help=gettext_lazy("how long a self-signed certificate is valid, in years")
        )
        parser.add_argument(
            "--trust",
            type=Path,
            action="append",
            metavar="CERT.pem",
            help=gettext_lazy("with --validate: a trusted certificate (default: the configured ones); repeatable"),
        )
        parser.add_argument("--force", action="store_true", help=gettext_lazy("replace a certificate already there"))
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help=gettext_lazy("with --self-signed: do nothing when a certificate is already there (for the demo)"),
        )

    def handle(self, *args, **options) -> None:
        if options["cert"] and not options["key"] or options["chain"] and not options["key"]:
            raise CommandError(_("--cert and --chain go with --key."))
        if options["trust"] and not options["validate"]:
            raise CommandError(_("--trust goes with --validate."))
        if options["if_missing"] and (not options["self_signed"] or options["force"]):
            raise CommandError(_("--if-missing goes with --self-signed, and not with --force."))
        if options["show"]:
            self.show()
        elif options["validate"]:
            self.validate(Path(options["validate"]), options["trust"])
        elif options["self_signed"]:
            self.make_self_signed(options)
        else:
            self.install(options)

    # --- making and installing ------------------------------------------------------------------------------------

    def make_self_signed(self, options) -> None:
        program = _program(options["program"])
        label = program.slug if program else SITE
        name = (options["name"] or (program.issuing_body if program else settings.SITE_ORGANIZER_NAME) or "").strip()
        if not name:
            raise CommandError(_("Give the name of the issuing body with --name."))
        if len(name) > pdf_signing.CN_MAX:
            raise CommandError(
                _(
                    "“%(name)s” is longer than the %(max)d characters a certificate's name can hold: give a shorter "
                    "one with --name."
                )
                % {"name": name, "max": pdf_signing.CN_MAX}
            )
        years = options["years"]
        if not 1 <= years <= 30:
            raise CommandError(_("--years must be between 1 and 30."))
        if options["if_missing"] and any(path.exists() for path in SignerFiles.at(label).paths):
            self.stdout.write(_("A certificate is already installed for %(whom)s.") % {"whom": _whom(label)})
            return
        _refuse_to_overwrite(label, options["force"])
        key, cert = pdf_signing.self_signed(name, years=years)
        files = pdf_signing.write_signer(label, key, cert)
        self.stdout.write(
            _("Self-signed certificate for “%(name)s”, valid until %(until)s, written to %(cert)s.")
            % {"name": name, "until": f"{cert.not_valid_after_utc:%Y-%m-%d}", "cert": files.cert}
        )
        self.stdout.write(_("Readers trust it only once they add this certificate to their trusted certificates."))

    def install(self, options) -> None:
        key_path, cert_path, chain_path = options["key"], options["cert"], options["chain"]
        if not cert_path:
            raise CommandError(_("Give the certificate of the key with --cert."))
        program = _program(options["program"])
        label = program.slug if program else SITE
        try:
            key = pdf_signing.load_private_key(_read(key_path))
        except PdfSigningError as error:
            raise CommandError(f"{key_path}: {error}") from None
        certs = _certificates(cert_path)
        chain = certs[1:] + (_certificates(chain_path) if chain_path else [])
        cert = certs[0]
        try:
            pdf_signing.check_pair(key, cert)
        except PdfSigningError as error:
            raise CommandError(str(error)) from None
        now = timezone.now()
        if cert.not_valid_after_utc <= now:
            raise CommandError(
                _("The certificate expired on %(date)s.") % {"date": f"{cert.not_valid_after_utc:%Y-%m-%d}"}
            )
        if cert.not_valid_before_utc > now:
            raise CommandError(
                _("The certificate is valid only from %(date)s.") % {"date": f"{cert.not_valid_before_utc:%Y-%m-%d}"}
            )
        _refuse_to_overwrite(label, options["force"])
        files = pdf_signing.write_signer(label, key, cert, chain)
        self.stdout.write(
            _("Installed the certificate of “%(name)s”, valid until %(until)s, for %(whom)s: %(cert)s.")
            % {
                "name": pdf_signing.common_name(cert),
                "until": f"{cert.not_valid_after_utc:%Y-%m-%d}",
                "whom": _whom(label),
                "cert": files.cert,
            }
        )

    # --- showing and checking -------------------------------------------------------------------------------------

    def show(self) -> None:
        try:
            signers = pdf_signing.configured_signers()
        except PdfSigningError as error:
            raise CommandError(str(error)) from None
        if not signers:
            self.stdout.write(
                _("No PDF signing certificate in %(folder)s: PDFs are served unsigned.")
                % {"folder": pdf_signing.pdf_key_dir()}
            )
            return
        for files in signers:
            self.stdout.write(self._describe(files))

    def _describe(self, files: SignerFiles) -> str:
        from cryptography.hazmat.primitives import hashes

        try:
            material = pdf_signing.load_material(files)
        except PdfSigningError as error:
            return _("%(whom)s: unusable: %(error)s") % {"whom": _whom(files.label), "error": error}
        cert = material.cert
        return _(
            "%(whom)s: “%(name)s”, valid until %(until)s, SHA-256 fingerprint %(fingerprint)s, intermediate "
            "certificates: %(chain)d"
        ) % {
            "whom": _whom(files.label),
            "name": material.common_name,
            "until": f"{cert.not_valid_after_utc:%Y-%m-%d}",
            "chain": len(material.chain),
            "fingerprint": cert.fingerprint(hashes.SHA256()).hex(":").upper(),
        }

    def validate(self, path: Path, trust: list[Path] | None) -> None:
        data = _read(path)
        roots = [cert for trusted in trust for cert in _certificates(trusted)] if trust else None
        # pyhanko logs every untrusted signer with a traceback; the verdict below says it in one line.
        logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
        result = pdf_signing.validate_pdf(data, trust_roots=roots)
        if result.problem:
            raise CommandError(
                _("%(path)s cannot be read as a PDF: %(problem)s") % {"path": path, "problem": result.problem}
            )
        if not result.signed:
            raise CommandError(_("%(path)s is not signed.") % {"path": path})
        for check in result.signatures:
            self.stdout.write(
                _("%(field)s, signed by %(signer)s at %(time)s: %(verdict)s")
                % {
                    "field": check.field,
                    "signer": check.signer,
                    "time": f"{check.signing_time:%Y-%m-%d %H:%M:%S %Z}" if check.signing_time else "?",
                    "verdict": _verdict(check),
                }
            )
        if not result.ok:
            raise CommandError(_("The signatures of %(path)s do not hold.") % {"path": path})


def _verdict(check: pdf_signing.SignatureCheck) -> str:
    if not check.intact:
        return _("the file was changed after it was signed")
    if not check.valid:
        return _("the signature is not the signer's")
    if not check.whole_file:
        return _("valid, but something was added to the file after the signature")
    if not check.trusted:
        return _("valid, but the signer's certificate is not among the trusted ones")
    return _("valid and trusted, unchanged since it was signed")


def _program(slug: str | None) -> Program | None:
    if not slug:
        return None
    try:
        return Program.objects.get(slug=slug)
    except Program.DoesNotExist:
        raise CommandError(_("There is no programme with the short name “%(slug)s”.") % {"slug": slug}) from None


def _whom(label: str) -> str:
    return _("the whole site") if label == SITE else _("programme “%(slug)s”") % {"slug": label}


def _refuse_to_overwrite(label: str, force: bool) -> None:
    existing = [path for path in SignerFiles.at(label).paths if path.exists()]
    if existing and not force:
        raise CommandError(
            _("A certificate is already installed for %(whom)s (%(path)s): add --force to replace it.")
            % {"whom": _whom(label), "path": existing[0]}
        )


def _read(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}) from None


def _certificates(path: Path) -> list:
    try:
        certs = pdf_signing.load_certificates(_read(path))
    except PdfSigningError as error:
        raise CommandError(f"{path}: {error}") from None
    if not certs:
        raise CommandError(_("%(path)s holds no certificate.") % {"path": path})
    return certs
