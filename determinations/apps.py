from django.apps import AppConfig


class DeterminationsConfig(AppConfig):
    name = "determinations"

    def ready(self) -> None:
        from intake.models.care_request import register_administrative_authority
        from intake.services.decision_hooks import (
            register_approval_check,
            register_decision_recorder,
        )
        from review.extensions import register_clock_extension_listener

        from .selectors import may_deny_administratively
        from .services.extension_notice import extension_letters_create
        from .services.network_exception import network_exception_approval_refusal
        from .services.recorder import determination_record_notice

        register_decision_recorder(determination_record_notice)
        register_clock_extension_listener(extension_letters_create)
        register_administrative_authority(may_deny_administratively)
        register_approval_check(network_exception_approval_refusal)
