"""add_editor: create or update a staff account in the Editors (or Reviewers) group."""

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...roles import EDITORS, REVIEWERS


class Command(BaseCommand):
    help = (
        "Create (or update) an editor account: staff access to /admin/ with the Editors group's "
        "permissions (--reviewer: the Reviewers group's, who also publish). The password is "
        "read from DJANGO_EDITOR_PASSWORD, or from standard input's first line with "
        "--password-stdin, or else asked for in a terminal."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="The editor's user name.")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--reviewer", action="store_true", help="A reviewer, who may also publish."
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input's first line (a script, a pipe).",
        )

    def handle(self, *args, username, email, reviewer, password_stdin, **options):
        interactive = os.isatty(0) and not password_stdin
        if not username:
            if not interactive:
                raise CommandError(
                    "Give a user name: manage.py add_editor NAME (make editor NAME=...)"
                )
            username = input("Editor's user name: ").strip()
        if not username:
            raise CommandError("A user name is needed.")
        User = get_user_model()
        try:
            User._meta.get_field(User.USERNAME_FIELD).run_validators(username)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        role = REVIEWERS if reviewer else EDITORS
        try:
            group = Group.objects.get(name=role)
        except Group.DoesNotExist:
            raise CommandError(
                f"The {role} group is missing: run `manage.py migrate` first."
            ) from None

        user = User.objects.filter(username=username).first() or User(username=username)
        password = os.environ.get("DJANGO_EDITOR_PASSWORD")
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("--password-stdin: standard input held no password.")
        if not password:
            if not interactive:
                raise CommandError(
                    "Set DJANGO_EDITOR_PASSWORD, give the password on standard input with "
                    "--password-stdin, or run this in a terminal."
                )
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ; nothing was changed.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

        created = user.pk is None
        user.email = email or user.email
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(group)
        verb = "Created" if created else "Updated"
        kind = "reviewer" if reviewer else "editor"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {kind} “{username}”. Log in at /admin/ with that name.")
        )
