from .roles import Role, role_of


def role(request) -> dict:
    user_role = role_of(getattr(request, "user", None))
    return {"user_role": user_role, "Role": Role}
