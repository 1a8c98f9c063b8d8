"""A desk member is a Django user; this proxy only gives the membership permission a model of its own."""

from django.contrib.auth.models import User


class Member(User):
    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("manage_members", "Can add desk members and change their roles")]
