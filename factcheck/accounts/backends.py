"""Django's ModelBackend, reading a user's permissions in one query instead of two.

Every logged-in page asks the policy (the navigation's role flags at least), and ModelBackend answers the first
question of a request with two queries: the user's own permissions, then their groups'. On the 2-core machine
under load each round trip waits ~2-3 ms for PostgreSQL to be scheduled, so the second one costs more than its
SQL. Here both sets come from one UNION; what a user may do is exactly ModelBackend's answer (same rules for
inactive, anonymous and superusers, same per-request cache on the user object)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class OneQueryModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                perms = Permission.objects.values_list("content_type__app_label", "codename").order_by()
            else:
                own = Permission.objects.filter(user=user_obj)
                grouped = Permission.objects.filter(group__user=user_obj)
                perms = (
                    own.values_list("content_type__app_label", "codename")
                    .order_by()
                    .union(grouped.values_list("content_type__app_label", "codename").order_by())
                )
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in perms}
        return user_obj._perm_cache
