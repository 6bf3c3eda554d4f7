"""What the management commands of every app share."""

from django.core.management.base import BaseCommand


class FlagCommand(BaseCommand):
    """A command taking one optional switch: `flag` is its (name, help text), and
    `handle` receives it as a keyword argument of that name."""

    flag: tuple[str, str]

    def add_arguments(self, parser):
        name, help_text = self.flag
        parser.add_argument(f"--{name}", action="store_true", help=help_text)
