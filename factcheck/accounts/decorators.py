"""View decorators: log in first, then the policy's check, which answers 403."""

from functools import wraps

from django.contrib.auth.decorators import login_required

from .policy import Check, require


def role_required(check: Check):
    """Require login (anonymous → login page) and `check(user)` from the policy (otherwise 403)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(check, request.user, "Your role does not allow this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
