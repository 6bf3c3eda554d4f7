from django.conf import settings
from django.core.management.base import CommandError

from carte.commands import FlagCommand
from cms import demo


class Command(FlagCommand):
    help = "Load the demo communes, pages and accounts (idempotent), print logins."
    flag = ("force", "Also run when DEBUG is off (never on a real installation).")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo creates accounts with known passwords: it only runs with "
                "DEBUG on, or with --force."
            )
        report = demo.load()
        out = self.stdout.write
        out("")
        out(self.style.SUCCESS("Démonstration Agora prête."))
        for name, url in report.sites:
            out(f"  {name} : {url}")
        out("")
        out(f"Comptes de démonstration (mot de passe pour tous : {demo.PASSWORD}) :")
        for email, role, commune in report.logins:
            out(f"  {email:<28} {role:<28} {commune}")
        out("")
        out("Double authentification (obligatoire pour le personnel) :")
        out(f"  clé TOTP commune à tous les comptes du personnel : {demo.TOTP_SECRET}")
        out("  (à saisir dans une application d'authentification, ou utilisez un")
        out("  code de secours ci-dessous, chacun valable une fois)")
        by_codes: dict[tuple[str, ...], list[str]] = {}
        for email, codes in report.recovery_codes.items():
            by_codes.setdefault(tuple(codes), []).append(email)
        for codes, emails in by_codes.items():
            who = (
                "tous les comptes du personnel"
                if len(by_codes) == 1
                else ", ".join(emails)
            )
            out(f"  codes de secours ({who}) :")
            out(f"    {' '.join(codes)}")
        out("")
