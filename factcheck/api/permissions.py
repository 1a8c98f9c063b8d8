"""Who may call what: each view names, per HTTP method, the permission policy's predicate it asks
(factcheck.accounts.policy, the same one the pages and the services ask)."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from factcheck.accounts import policy

# Public endpoints (published reports) declare this instead of a predicate.
PUBLIC = object()


def anyone_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def check_for(view, method: str):
    """The predicate `view` names for `method` (HEAD follows GET, OPTIONS GET or the first method named);
    None when it names none."""
    checks = getattr(view, "policy", {})
    if method == "HEAD":
        method = "GET"
    if method == "OPTIONS":
        return checks.get("GET") or next(iter(checks.values()), None)
    return checks.get(method)


class FollowsPolicy(BasePermission):
    """Allows a request when the view's predicate for its method holds. An anonymous caller gets 401 (the
    token challenge), a signed-in one without the role 403 with the policy's sentence."""

    def has_permission(self, request, view):
        if request.method.lower() not in view.http_method_names or not hasattr(view, request.method.lower()):
            return True  # no such method here: DRF answers 405, for anyone
        check = check_for(view, request.method)
        if check is PUBLIC:
            return True
        if check is None:
            self.message = "This method is not allowed here."
            return False
        if check(request.user):
            return True
        self.message = policy.REFUSALS.get(check, "Your role does not allow this.")
        return False
