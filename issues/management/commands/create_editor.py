import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction


class Command(BaseCommand):
    help = (
        "Create an editor account (staff, in the Editors group). The password comes from "
        "EDITOR_PASSWORD, or is generated and printed once, when the account is created."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default=os.environ.get("EDITOR_USERNAME", "editor"))

    @transaction.atomic
    def handle(self, *args, username: str, **options) -> None:
        User = get_user_model()
        try:
            field = User._meta.get_field(User.USERNAME_FIELD)
            assert isinstance(field, models.Field)  # a column, not a reverse relation
            field.clean(username, None)
        except ValidationError as error:
            raise CommandError(f"Not a valid user name: {' '.join(error.messages)}") from None
        password = os.environ.get("EDITOR_PASSWORD", "")
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True}
        )
        user.is_staff = True
        user.groups.add(Group.objects.get(name="Editors"))
        if created or password:
            generated = not password
            password = password or secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
            shown = password if generated else "(from EDITOR_PASSWORD)"
            self.stdout.write(self.style.SUCCESS(f"Editor account: {username} / {shown}"))
        else:
            user.save()
            self.stdout.write(
                f"Editor account {username} exists; password unchanged "
                "(set EDITOR_PASSWORD to reset it)."
            )
