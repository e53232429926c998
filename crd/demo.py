"""Demo: a registered CDS Hooks client ("Demo EHR") acting for the demo provider office.

Its private key is made here and written under VAR_DIR, never into the repository or the
database: the client row holds only the public JWK, as a real registration would."""

import json

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

from intake.models import AutoApprovalRule, ServiceCategory

from .models import CdsClient

DEMO_ISSUER = "https://ehr.demo.um-portal.example"
DEMO_KID = "demo-ehr-1"
DEMO_ATTESTED_RULE = "lumbar-mri-dtr-attested"


def seed_attested_rule(*, log) -> AutoApprovalRule | None:
    """An auto-approval rule on the provider's DTR answers: a lumbar spine MRI whose every
    criterion the EHR attested as met (and whose documents are all there) is approved at once.
    After the demo cases, so the cases seeded before it keep the outcomes they had."""
    rule = AutoApprovalRule.objects.filter(key=DEMO_ATTESTED_RULE, is_current=True).first()
    category = ServiceCategory.objects.filter(code="imaging").first()
    if rule is not None or category is None:
        return rule
    rule = AutoApprovalRule.objects.create(
        key=DEMO_ATTESTED_RULE,
        name="Lumbar spine MRI, criteria attested as met in DTR",
        order=5,
        category=category,
        code_system="cpt",
        service_codes=["72148"],
        attested_criteria_set="lumbar-spine-mri",
    )
    log(f"Auto-approval: rule '{rule.name}' (criteria set lumbar-spine-mri attested in DTR).")
    return rule


def seed_crd(*, users: dict, log) -> CdsClient | None:
    seed_attested_rule(log=log)
    user = users.get("provider")
    if user is None or user.provider_organization_id is None:
        return None
    client = CdsClient.objects.filter(issuer=DEMO_ISSUER).first()
    if client is not None:
        log(f"CDS Hooks: demo client '{client.name}' already registered.")
        return client
    key = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    client = CdsClient.objects.create(
        name="Demo EHR",
        issuer=DEMO_ISSUER,
        jwks={"keys": [jwk | {"kid": DEMO_KID, "alg": "ES256", "use": "sig"}]},
        organization=user.provider_organization,
        acting_user=user,
    )
    path = settings.VAR_DIR / "demo-cds-client-key.pem"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    log(f"CDS Hooks: demo client '{client.name}' (iss {DEMO_ISSUER}, kid {DEMO_KID}); key {path}.")
    return client
