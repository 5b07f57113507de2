"""Check a certificate's signed QR code the way the offline page does: with the public keys only, no register."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from credentials import payload


class Command(BaseCommand):
    help = (
        "Verify a scanned certificate code (the whole URL, or the text after #) against the issuer's public keys. "
        "Exits with status 1 when the code is forged or damaged."
    )

    def add_arguments(self, parser):
        parser.add_argument("scanned", help="what the QR code holds, e.g. 'https://…/verify/HZ-2027-00001/#…'")

    def handle(self, *args, scanned: str, **options):
        result = payload.verify(scanned)
        self.stdout.write((_("GENUINE") if result.genuine else _("FORGED OR DAMAGED")) + ": " + result.reason)
        signed = result.signed
        if signed is not None:
            label = _("Signed fields") if result.genuine else _("Fields the code claims (not signed by the issuer)")
            self.stdout.write(label + ":")
            rows = [
                (_("Serial number"), signed.serial),
                (_("Unified social credit code"), signed.code),
                (_("Name as granted"), signed.name),
                (_("Title"), signed.title),
                (_("Programme number"), str(signed.programme_id)),
                (_("Valid from"), signed.valid_from.isoformat()),
                (_("Valid until"), signed.valid_until.isoformat()),
                (_("Key id"), signed.kid),
            ]
            for name, value in rows:
                self.stdout.write(f"  {name}: {value}")
        if result.genuine:
            self.stdout.write(
                _(
                    "A genuine code proves what was issued, not that the title is still in force: check its live status online at %(url)s"
                )
                % {"url": payload.verification_base(signed.serial)}
            )
            return
        raise CommandError(_("The code is not genuine."), returncode=1)
