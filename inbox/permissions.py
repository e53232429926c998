"""Who may use the inbox. Intake specialists work it; a fax gateway's service account (a user in
the fax_gateway group, with an API token) may only deliver documents and read their status."""

from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role

FAX_GATEWAY = "fax_gateway"  # the group the inbox's migration creates


def may_work_inbox(user) -> bool:
    return user_has_role(user, Role.INTAKE)


def may_deliver(user) -> bool:
    return user_has_role(user, Role.INTAKE, FAX_GATEWAY)
