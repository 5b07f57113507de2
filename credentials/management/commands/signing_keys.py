"""List, create and rotate the Ed25519 keys that sign certificates' QR codes and Open Badges."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from credentials import keys


class Command(BaseCommand):
    help = (
        "Manage the issuer's Ed25519 signing keys (in SIGNING_KEY_DIR). 'list' shows them, 'rotate' makes a new key "
        "current (codes signed by the old keys keep verifying), 'retire KID' destroys an old key's private half."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "rotate", "ensure", "retire"])
        parser.add_argument("kid", nargs="?", help="the key id to retire")

    def handle(self, *args, action: str, kid: str | None = None, **options):
        if action == "rotate":
            key = keys.rotate()
            self.stdout.write(f"New current key {key.kid} in {keys.key_folder()}")
        elif action == "ensure":
            try:
                key = keys.current_key()
            except keys.NoSigningKey:
                key = keys.rotate()
                self.stdout.write(f"Created the first signing key {key.kid} in {keys.key_folder()}")
        elif action == "retire":
            if not kid:
                raise CommandError("Name the key to retire: signing_keys retire KID")
            try:
                keys.retire(kid)
            except KeyError:
                raise CommandError(f"No key {kid!r} in {keys.key_folder()}.") from None
            except ValueError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"Retired {kid}: its private half is destroyed; what it signed still verifies.")
        ring = keys.public_keys()
        if not ring:
            raise CommandError(
                f"No signing key in {settings.SIGNING_KEY_DIR}. Run: python manage.py signing_keys rotate"
            )
        document = {k["kid"]: k for k in keys.public_keys_document()["keys"]}
        for found, key in ring.items():
            state = "current" if document[found]["current"] else ("signs" if key.can_sign else "verifies only")
            self.stdout.write(f"{found}  {state:14}  x={document[found]['x']}")
