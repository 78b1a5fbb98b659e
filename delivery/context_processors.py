from core import nav
from core.roles import Role, role_of


def role(request) -> dict:
    """The signed-in user's role, and plain flags templates can test (templates cannot compare with an
    Enum class: they try to call it)."""
    user_role = role_of(getattr(request, "user", None))
    return {
        "user_role": user_role,
        "can_edit_plans": user_role in (Role.ADMINISTRATOR, Role.EDITOR),
        "is_owner_role": user_role == Role.OWNER,
        "app_nav": nav.links_for(request.user) if user_role is not None else [],
    }
