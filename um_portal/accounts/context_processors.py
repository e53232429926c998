from .roles import Role


def roles(request) -> dict:
    """Expose the user's roles to templates so navigation can show the right links."""
    user = getattr(request, "user", None)
    names = user.role_names if user is not None and user.is_authenticated else frozenset()
    return {"user_roles": names, "Role": Role}
