from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>`, the form provider systems and FHIR clients send."""

    keyword = "Bearer"
