import uuid

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.functional import cached_property

from .roles import STAFF_ROLES, Role


class ProviderOrganization(models.Model):
    """A provider practice or facility whose staff use the portal; the unit of data isolation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    tax_id = models.CharField("TIN", max_length=9, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    fax = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True, help_text="Where determination letters are e-mailed.")
    # The organisation's portal users are the members of this group, and its care requests are
    # granted to it (django-guardian object permissions, see intake.services.access). Created
    # and kept by um_portal.accounts.services, never by hand.
    group = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="provider_organization",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider_organization = models.ForeignKey(
        ProviderOrganization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Required for provider users: they see only this organisation's requests.",
    )
    credentials = models.CharField(
        max_length=40, blank=True, help_text="Shown on decisions and letters, e.g. MD, RN."
    )
    phone = models.CharField(max_length=30, blank=True)
    time_zone = models.CharField(max_length=64, default="America/New_York")

    @cached_property
    def _group_rows(self) -> list[Group]:
        """The user's groups, read once per request; an inactive user has none."""
        return list(self.groups.all()) if self.is_active else []

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(g.name for g in self._group_rows)

    @cached_property
    def group_ids(self) -> frozenset[int]:
        """Roles and the provider organisation's group: what object permissions are granted to."""
        return frozenset(g.pk for g in self._group_rows)

    def forget_groups(self) -> None:
        """Drop the cached groups after membership changed."""
        for name in ("_group_rows", "role_names", "group_ids"):
            self.__dict__.pop(name, None)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    @property
    def is_provider(self) -> bool:
        return Role.PROVIDER in self.role_names

    @property
    def is_staff_member(self) -> bool:
        return bool(self.role_names & STAFF_ROLES)

    @property
    def display_name(self) -> str:
        name = self.get_full_name() or self.username
        return f"{name}, {self.credentials}" if self.credentials else name
