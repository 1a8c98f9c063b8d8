from functools import cached_property

from . import selectors


class _Inbox:
    """Read only when a template asks: the navbar reads the unread count, My settings the preference; pages
    that render no template (JSON, redirects) pay nothing."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        return selectors.unread_count(user=self.user)

    @cached_property
    def preference_form(self):
        from .forms import PreferenceForm

        return PreferenceForm(initial={"delivery": selectors.delivery_of(user=self.user)})


def inbox(request):
    """The navbar's unread count: one primary-key read of a maintained counter, however many notices."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_inbox": _Inbox(user)}
