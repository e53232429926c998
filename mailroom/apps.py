from django.apps import AppConfig


class MailroomConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mailroom"
    verbose_name = "Mail room (print and mail)"

    def ready(self) -> None:
        # determinations must not import the mail room (dependencies point one way): the
        # letters attention page learns of letters stuck here through its source registry.
        from determinations.selectors import attention_source_register

        from .selectors import letters_stuck_in_mailroom

        attention_source_register(letters_stuck_in_mailroom)
