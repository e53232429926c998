"""Queues and skills: where a triaged case waits and what a reviewer needs (DESIGN §6)."""

from django.conf import settings
from django.db import models

from .reference import ServiceCategory


class Skill(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Queue(models.Model):
    """A clinical work queue. Triage puts a case in the first active queue (by `order`) whose
    criteria match it; empty criteria match anything."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=100, help_text="Lower is tried first.")
    is_active = models.BooleanField(default=True)
    service_categories = models.ManyToManyField(ServiceCategory, blank=True, related_name="+")
    review_settings = models.JSONField(
        default=list, blank=True, help_text='e.g. ["inpatient"]; empty: any setting.'
    )
    priority = models.CharField(
        max_length=10, blank=True, help_text="standard / expedited; empty: any priority."
    )
    required_skills = models.ManyToManyField(Skill, blank=True, related_name="queues")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_queues",
        help_text="Can reassign cases; told when a case is at risk.",
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name
