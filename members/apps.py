from django.apps import AppConfig


class MembersConfig(AppConfig):
    """The member's side (DESIGN §11): invitations, the member's sign-in, and the member's own
    pages (requests, decisions, letters, appeals). Uses intake, determinations and appeals;
    nothing imports it."""

    name = "members"
    verbose_name = "Members' access"
