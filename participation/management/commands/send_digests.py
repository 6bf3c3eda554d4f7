"""Daily cron: e-mail each digest account the notifications it has not received.

python manage.py send_digests            # run now, in this process
python manage.py send_digests --enqueue  # hand it to the task worker
"""

from carte.commands import FlagCommand
from participation.tasks import send_digests


class Command(FlagCommand):
    help = "Send the daily digest of notifications to accounts that chose it."
    flag = ("enqueue", "Enqueue the task for the worker instead of running it here.")

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            result = send_digests.enqueue()
            self.stdout.write(f"Enqueued digest task {result.id}.")
            return
        sent = send_digests.call()
        self.stdout.write(f"{sent} digest e-mail(s) sent.")
