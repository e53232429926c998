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
    # 42 CFR 422.590(h)(2), 29 CFR 2560.503-1(h)(3)(iii): an appeal of a medical-necessity
    # denial is decided by a physician with expertise in the field of the service.
    specialty = models.CharField(
        max_length=100, blank=True, help_text="Board specialty, e.g. Orthopedic surgery."
    )
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"Reviewer {self.user}"


class SpecialtyGroup(models.Model):
    """Specialties close enough that a physician of one may decide an appeal about a service of
    another (e.g. orthopedic surgery and sports medicine). Edited in the admin."""

    name = models.CharField(max_length=100, unique=True)
    specialties = models.JSONField(
        default=list, help_text='Specialty names, e.g. ["Orthopedic surgery", "Sports medicine"].'
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
