from __future__ import annotations

import os

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import Role
from accounts.services import staff_user_create


class Command(BaseCommand):
    help = (
        "Create (or update) an organizer account without prompting. "
        "The password comes from --password or the ORGANIZER_PASSWORD environment variable."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--password", default=None, help="defaults to the ORGANIZER_PASSWORD environment variable")
        parser.add_argument(
            "--role",
            action="append",
            choices=[role.value for role in Role if role is not Role.ORGANIZER],
            default=[],
            help="an additional role; may be repeated",
        )

    def handle(self, *args, username, email, name, password, role, **options):
        password = password or os.environ.get("ORGANIZER_PASSWORD")
        if not password:
            raise CommandError("Give a password with --password or the ORGANIZER_PASSWORD environment variable.")
        try:
            password_validation.validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        roles = (Role.ORGANIZER, *(Role(value) for value in role))
        user = staff_user_create(username=username, password=password, email=email, full_name=name, roles=roles)
        self.stdout.write(
            self.style.SUCCESS(f"Organizer {user.username} is ready ({', '.join(r.value for r in roles)}).")
        )
