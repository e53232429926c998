"""Demo: the first demo practice's EHR as a SMART Backend Services client, its attribution
panel (the members it has requested care for), one of them opted out of Provider Access."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.utils import timezone
from jwt.algorithms import RSAAlgorithm

from intake.models import Member
from members.models import DataSharingChoice

from .models import Attribution, AttributionGroup, BackendClient
from .services import backend_client_create

DEMO_CLIENT = "Practice EHR (demo backend client)"
DEMO_KID = "demo-provider-key"
PANEL_SIZE = 6


def _demo_key_pair() -> dict:
    """A fresh key pair: the public half is registered, the private half written under var/
    (never committed) for trying the token endpoint by hand."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = settings.VAR_DIR / "demo" / "provider-access-key.pem"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    public = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {"keys": [{**public, "kid": DEMO_KID, "alg": "RS384"}]}


def seed_access(*, orgs: dict, log) -> None:
    org = orgs.get("lakeside") or orgs[sorted(orgs)[0]]
    client = BackendClient.objects.filter(name=DEMO_CLIENT).first()
    if client is None:
        client = backend_client_create(
            name=DEMO_CLIENT, organization=org, jwks=_demo_key_pair(), scopes="system/*.read"
        )
    group, _ = AttributionGroup.objects.get_or_create(
        organization=org, name=f"{org.name} attributed members"
    )
    members = list(
        Member.objects.filter(care_requests__requesting_provider__organization=org)
        .distinct()
        .order_by("last_name", "first_name")[:PANEL_SIZE]
    )
    start = timezone.localdate().replace(month=1, day=1)
    for member in members:
        Attribution.objects.get_or_create(
            group=group,
            member=member,
            start=start,
            defaults={"source": Attribution.Source.CLAIMS},
        )
    if members:
        DataSharingChoice.objects.get_or_create(
            member=members[-1],
            defaults={
                "provider_access_opted_out": True,
                "provider_access_changed_at": timezone.now(),
            },
        )
    log(
        f"Provider Access API: '{DEMO_CLIENT}' (client id {client.client_id}, private key in "
        f"var/demo/provider-access-key.pem), {len(members)} members attributed, one opted out."
    )
