"""A member's choice of how to be told: in the app only, by e-mail as it happens, or a daily digest."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Delivery, NotificationPreference


@transaction.atomic
def preference_set(*, user, delivery: str) -> NotificationPreference:
    """Set how the member is told from now on. A personal setting, so no audit event: it changes nothing
    anyone else sees."""
    if delivery not in Delivery.values:
        raise ValidationError("Choose how you want to be told: in the app, e-mail as it happens, or a daily digest.")
    preference, _ = NotificationPreference.objects.update_or_create(user=user, defaults={"delivery": delivery})
    return preference
