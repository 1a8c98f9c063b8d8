"""A desk member is a Django user; the proxy gives the membership permission a model of its own, and the
profile holds what a member decides about themselves."""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models


class Member(User):
    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("manage_members", "Can add desk members and change their roles")]


class MemberProfile(models.Model):
    """What a member decides about themselves. No row means the defaults: in particular, nobody is named on
    the public site unless they said yes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    named_in_bylines = models.BooleanField(
        default=False,
        help_text="May be named in the byline of published fact-checks whose verdicts they gave.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"profile of {self.user_id}"
