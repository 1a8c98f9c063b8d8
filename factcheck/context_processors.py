from reviews import permissions


def roles(request):
    """What the navigation needs to know about the user, without a query per link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_rate": permissions.can_rate(user),
        "can_edit": permissions.can_edit(user),
        "can_import": permissions.can_import(user),
        "can_publish": permissions.can_publish(user),
        "can_manage_members": permissions.can_manage_members(user),
    }
