from django.apps import AppConfig


class CaremgmtConfig(AppConfig):
    """Care-management referrals: members a decision or a stay shows need more than an
    authorization (DESIGN §11). Its own app rather than part of quality/: it is a workflow with
    its own state machine, queue and staff, not a program measurement. It reads intake and stays
    and learns of their events through signals and review's clock sweep; none of them imports
    it."""

    name = "caremgmt"
    verbose_name = "Care management"

    def ready(self) -> None:
        from django_fsm.signals import post_transition

        from intake.models import CareRequest
        from review.extensions import register_clock_sweep

        from .services.triggers import referral_on_case_transition, referral_stays_sweep

        post_transition.connect(
            referral_on_case_transition, sender=CareRequest, dispatch_uid="caremgmt_case"
        )
        register_clock_sweep(referral_stays_sweep)
