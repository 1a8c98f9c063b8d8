"""Celery tasks for notifications, on the notifications queue: thin wrappers that take ids and call one
service. Each is safe to run twice."""

from celery import shared_task

from factcheck.celery_app import task_options

from .services import deliveries


@shared_task(**task_options("notify"))
def email_send_task(self, delivery_id: int) -> None:
    # The row is claimed before sending and marked after, so a repeated or overlapping run sends it once.
    retry_in = deliveries.email_delivery_send(delivery_id=delivery_id)
    if retry_in is not None:
        # The attempt count on the row bounds the tries (NOTIFICATIONS_EMAIL_MAX_ATTEMPTS), not Celery's.
        raise self.retry(countdown=retry_in, max_retries=None)


@shared_task(**task_options("notify"))
def digests_send_task(self) -> int:
    """Run by Celery beat once a day: today's digests, one per member who chose them."""
    return deliveries.digests_prepare()


@shared_task(**task_options("sweep"))
def email_deliveries_requeue_task(self) -> int:
    """Run by Celery beat: send again e-mails whose message was lost or whose worker died."""
    return len(deliveries.email_deliveries_requeue())
