"""Roles are Django groups; these are their names. One place to spell them."""

from django.db import models


class Role(models.TextChoices):
    INTAKE = "intake_specialist", "Intake specialist"
    NURSE = "um_nurse", "UM nurse"
    DIRECTOR = "medical_director", "Medical director"
    PROVIDER = "provider", "Provider"
    MANAGER = "um_manager", "UM manager"


STAFF_ROLES = frozenset({Role.INTAKE, Role.NURSE, Role.DIRECTOR, Role.MANAGER})
CLINICAL_ROLES = frozenset({Role.NURSE, Role.DIRECTOR})
