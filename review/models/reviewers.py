from django.conf import settings
from django.db import models

from intake.models import Queue, Skill


class ReviewerProfile(models.Model):
    """What a nurse or director may take: skills, licences, queues and how many open cases."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="reviewers")
    licensed_states = models.JSONField(
        default=list, blank=True, help_text='Two-letter states, e.g. ["NY", "NJ"].'
    )
    queues = models.ManyToManyField(Queue, blank=True, related_name="reviewers")
    capacity = models.PositiveSmallIntegerField(default=25, help_text="Open cases at most.")
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"Reviewer {self.user}"
