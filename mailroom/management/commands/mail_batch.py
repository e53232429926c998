from django.core.management.base import BaseCommand

from mailroom.tasks import mail_batch_run


class Command(BaseCommand):
    help = "Build today's print-and-mail batch (idempotent) and, in SFTP mode, send it."

    def handle(self, *args, **options):
        result = mail_batch_run()
        if result["batch"]:
            self.stdout.write(
                f"Batch {result['batch']}: {result['letters']} letters; "
                f"{result['sent']} sent by SFTP."
            )
        else:
            self.stdout.write("No printed letter waiting; no batch built.")
