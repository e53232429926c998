"""factory_boy factories and a helper that drives a case to any status through the services."""

import random
from datetime import date, timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from intake.models import (
    CareRequest,
    Coverage,
    LineOfBusiness,
    Member,
    Plan,
    Provider,
    ServiceCategory,
)
from intake.services.receipt import ServiceLineInput, care_request_create
from um_portal.accounts.models import ProviderOrganization, User
from um_portal.accounts.services import provider_user_set_organization
from um_portal.lib.npi import npi_check_digit

_rng = random.Random(7)


def valid_npi() -> str:
    first_nine = "1" + "".join(str(_rng.randint(0, 9)) for _ in range(8))
    return first_nine + str(npi_check_digit(first_nine))


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderOrganization

    name = factory.Sequence(lambda n: f"Practice {n}")
    email = factory.Sequence(lambda n: f"office{n}@practice.example")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@um-portal.example")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get(name=r) for r in extracted])
        if create:
            self.save()
            if self.provider_organization_id is not None:
                # As an administrator would: the service adds them to the organisation's group.
                provider_user_set_organization(
                    actor=None, user=self, organization=self.provider_organization
                )


def category(code: str = "imaging") -> ServiceCategory:
    return ServiceCategory.objects.get(code=code)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Plan {n}")
    line_of_business = LineOfBusiness.MEDICARE_ADVANTAGE

    @factory.post_generation
    def covers(self, create, extracted, **kwargs):
        if create:
            self.covered_categories.set(
                ServiceCategory.objects.all()
                if extracted is None
                else ServiceCategory.objects.filter(code__in=extracted)
            )


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    first_name = "Maria"
    last_name = factory.Sequence(lambda n: f"Member{n}")
    birth_date = date(1956, 3, 14)
    sex = "F"
    state = "NY"


class CoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coverage

    member = factory.SubFactory(MemberFactory)
    plan = factory.SubFactory(PlanFactory)
    member_number = factory.Sequence(lambda n: f"M{100000 + n}")
    effective_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    effective_to = None


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    npi = factory.LazyFunction(valid_npi)
    name = factory.Sequence(lambda n: f"Dr. Provider {n}")
    network_status = Provider.Network.IN
    organization = factory.SubFactory(OrganizationFactory)


def make_case(
    *,
    actor,
    coverage: Coverage | None = None,
    organization=None,
    code: str = "72148",
    code_system: str = "cpt",
    category_code: str = "imaging",
    units: int = 1,
    diagnoses: tuple[str, ...] = ("M54.16",),
    priority: str = "standard",
    channel: str = "fax",
    submit: bool = True,
    review_setting: str = "outpatient",
    lines: int = 1,
) -> CareRequest:
    """A care request created through the real service (received unless submit=False)."""
    coverage = coverage or CoverageFactory()
    provider = ProviderFactory(organization=organization) if organization else ProviderFactory()
    start = timezone.localdate() + timedelta(days=5)
    return care_request_create(
        actor=actor,
        coverage=coverage,
        requesting_provider=provider,
        servicing_provider=provider,
        lines=[
            ServiceLineInput(
                code_system=code_system,
                code=code,
                category=category(category_code),
                units=units,
                start_date=start,
                end_date=start + timedelta(days=29),
            )
            for _ in range(lines)
        ],
        diagnoses=list(diagnoses),
        channel=channel,
        priority=priority,
        request_type=CareRequest.RequestType.PROSPECTIVE,
        review_setting=review_setting,
        submit=submit,
    )
