from . import policy


def roles(request):
    """What the navigation needs to know about the user, without a query per link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_rate": policy.can_rate(user),
        "can_view_articles": policy.can_view_articles(user),
        "can_import": policy.can_import(user),
        "can_publish": policy.can_publish(user),
        "can_curate": policy.can_curate(user),
        "can_manage_members": policy.can_manage_members(user),
    }
